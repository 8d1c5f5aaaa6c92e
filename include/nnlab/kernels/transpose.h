#pragma once
// Copying a matrix transposed, a band of columns at a time:
//   dst[p·ld_dst + j] = src[j·ld_src + p]   for j in [0, rows), p in [p_begin, p_end)
// i.e. columns p_begin..p_end of the row-major rows×ld_src matrix src become rows of dst.
// Callers split [0, cols) between threads by p. float uses 8×8 register
// transposes where the CPU has AVX2 (kernel_isa() in isa.h); the ragged edges, and the
// generic kernels, go element by element.

#include <cstdint>

namespace nnlab {

void transpose_columns(const float* src, int64_t ld_src, int64_t rows, int64_t p_begin, int64_t p_end, float* dst,
                       int64_t ld_dst);
void transpose_columns(const double* src, int64_t ld_src, int64_t rows, int64_t p_begin, int64_t p_end, double* dst,
                       int64_t ld_dst);

}  // namespace nnlab
