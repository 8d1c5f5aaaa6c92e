// SparseInput's inner loops for AVX-512 (KernelIsa::avx512): the sums on 16-float registers,
// and the rows compressed with VPCOMPRESS.

#include <immintrin.h>

#include <algorithm>
#include <cstdint>

#include "isa_target.h"
#include "sparse_input_kernels.h"

NNLAB_BEGIN_AVX512
namespace nnlab::detail::avx512 {
namespace {

#include "sparse_sums.inc"

int64_t compress_row(const float* row, int64_t cols, int64_t block, int32_t* bounds, int32_t* col_out, float* value_out,
                     int64_t* count, int32_t* col_count) {
  // Compare 16 values with zero, compress the nonzeros and their column numbers to the front
  // of a register, store all 16, count them in total and per column.
  const __m512i step = _mm512_set1_epi32(16);
  const __m512i one = _mm512_set1_epi32(1);
  __m512i columns = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  int64_t done = *count;
  int64_t c = 0;
  for (; c + 16 <= cols; c += 16) {
    if (c % block == 0) bounds[c / block] = static_cast<int32_t>(done);
    const __m512 v = _mm512_loadu_ps(row + c);
    const __mmask16 nonzero = _mm512_cmp_ps_mask(v, _mm512_setzero_ps(), _CMP_NEQ_UQ);
    _mm512_storeu_ps(value_out + done, _mm512_maskz_compress_ps(nonzero, v));
    _mm512_storeu_si512(col_out + done, _mm512_maskz_compress_epi32(nonzero, columns));
    done += __builtin_popcount(nonzero);
    columns = _mm512_add_epi32(columns, step);
    const __m512i counts = _mm512_loadu_si512(col_count + c);
    _mm512_storeu_si512(col_count + c, _mm512_mask_add_epi32(counts, nonzero, counts, one));
  }
  *count = done;
  return c;
}

constexpr SparseKernels kKernels{&blocked_sums<float>, &blocked_sums<double>, &compress_row};

}  // namespace
}  // namespace nnlab::detail::avx512
NNLAB_END_TARGET

namespace nnlab::detail {
const SparseKernels& avx512_sparse_kernels() { return avx512::kKernels; }
}  // namespace nnlab::detail
