#pragma once
// The variants of SparseInput's inner loops (kernels/sparse_input.h): the generic ones in
// sparse_input.cpp, the AVX2 ones in sparse_input_avx2.cpp and the AVX-512 ones in
// sparse_input_avx512.cpp, chosen by kernel_isa().

#include <cstdint>

namespace nnlab::detail {

// Item k (a row of x in the forward product, a column for dW) has entries (index, value)
// split into `blocks` blocks, those of block b being [bounds[k·(blocks + 1) + b],
// bounds[k·(blocks + 1) + b + 1]); its sums are
//   out[k·ms + j] = init[j] + Σ_e value[e] · dense[index[e]·ms + j]      (j < ms),
// kept in out between blocks. All items pass through one block (one band of rows of
// `dense`) before the next, so that the band stays in the caches meanwhile. ms is a
// multiple of 64 bytes of T.
template <typename T>
using BlockedSums = void (*)(int64_t k_begin, int64_t k_end, int64_t blocks, const int32_t* bounds,
                             const int32_t* index, const T* value, const T* dense, int64_t ms, const T* init, T* out);

// Keeps the nonzeros of row[0, cols / 16 · 16), 16 at a time: their column numbers and values
// go to col_out and value_out from position *count (each store writes 16, so both need room
// for 15 more), *count grows by their number, col_count[c] by one for each, and
// bounds[c / block] = *count where a block of `block` columns (a multiple of 16) begins.
// Returns the number of columns done.
using CompressRow = int64_t (*)(const float* row, int64_t cols, int64_t block, int32_t* bounds, int32_t* col_out,
                                float* value_out, int64_t* count, int32_t* col_count);

struct SparseKernels {
  BlockedSums<float> float_sums;
  BlockedSums<double> double_sums;
  CompressRow compress_row;  // nullptr: element by element
};

const SparseKernels& avx512_sparse_kernels();
const SparseKernels& avx2_sparse_kernels();

}  // namespace nnlab::detail
