#include "nnlab/kernels/threads.h"

#include <omp.h>

#include <stdexcept>
#include <string>

extern "C" void openblas_set_num_threads(int);

namespace nnlab {

void set_num_threads(int threads) {
  if (threads < 1) throw std::invalid_argument("thread count must be at least 1, got " + std::to_string(threads));
  omp_set_num_threads(threads);
  openblas_set_num_threads(threads);
}

int num_threads() { return omp_get_max_threads(); }

}  // namespace nnlab
