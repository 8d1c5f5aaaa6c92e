#pragma once
// One thread pool: OpenMP, which the OpenMP build of OpenBLAS shares.
// set_num_threads governs every thread the process runs (nnlab's loops and BLAS).

namespace nnlab {

void set_num_threads(int threads);
int num_threads();

// Element-wise loops below this size run on one thread: starting a parallel
// region costs more than it saves.
inline constexpr long kParallelThreshold = 1 << 15;

}  // namespace nnlab
