#include "nnlab/distributed/communicator.h"

#include <cstdio>
#include <cstdlib>

namespace nnlab {

void SingleProcess::abort(int code) {
  std::fflush(stdout);
  std::fflush(stderr);
  std::exit(code);
}

}  // namespace nnlab
