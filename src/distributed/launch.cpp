#include "nnlab/distributed/launch.h"

#include <cstdlib>
#include <stdexcept>
#include <string>

#if NNLAB_MPI
#include "nnlab/distributed/mpi_communicator.h"
#endif

namespace nnlab {

namespace {
// The ranks a launcher started, from its environment (OpenMPI, MPICH's Hydra, PMIx); 0 when none did.
int launched_ranks() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"}) {
    if (const char* value = std::getenv(name)) return std::max(1, std::atoi(value));
  }
  return std::getenv("PMIX_RANK") != nullptr ? 1 : 0;
}
}  // namespace

bool mpi_built() { return NNLAB_MPI != 0; }

std::unique_ptr<Communicator> launch_communicator([[maybe_unused]] int& argc, [[maybe_unused]] char**& argv) {
  const int ranks = launched_ranks();
#if NNLAB_MPI
  if (ranks > 0) return std::make_unique<MpiCommunicator>(argc, argv);
#else
  if (ranks > 1) {
    throw std::invalid_argument("started by an MPI launcher for " + std::to_string(ranks) +
                                " ranks, but this nnlab is built without MPI (install libopenmpi-dev and build with "
                                "cmake -DNNLAB_MPI=ON)");
  }
#endif
  return std::make_unique<SingleProcess>();
}

}  // namespace nnlab
