#pragma once
// The communicator of this process: an MpiCommunicator when mpirun (or another MPI launcher)
// started it and nnlab is built with MPI, SingleProcess otherwise. A process started by a
// launcher for several ranks in a build without MPI is refused (std::invalid_argument): its
// ranks would each train alone and write the same files.

#include <memory>

#include "nnlab/distributed/communicator.h"

namespace nnlab {

std::unique_ptr<Communicator> launch_communicator(int& argc, char**& argv);

// Whether this build runs on MPI (cmake -DNNLAB_MPI=ON).
bool mpi_built();

}  // namespace nnlab
