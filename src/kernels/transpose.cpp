#include "nnlab/kernels/transpose.h"

#include <immintrin.h>

#include "isa_target.h"
#include "nnlab/kernels/isa.h"

namespace nnlab {

namespace {

template <typename T>
void transpose_plain(const T* src, int64_t ld_src, int64_t rows, int64_t p_begin, int64_t p_end, T* dst,
                     int64_t ld_dst) {
  for (int64_t p = p_begin; p < p_end; ++p) {
    for (int64_t j = 0; j < rows; ++j) dst[p * ld_dst + j] = src[j * ld_src + p];
  }
}

}  // namespace

// The AVX2 and AVX-512 variants: AVX's 256-bit shuffles are all they need.
NNLAB_BEGIN_AVX2
namespace avx2 {
namespace {

void transpose_blocks(const float* src, int64_t ld_src, int64_t rows, int64_t p_begin, int64_t p_end, float* dst,
                      int64_t ld_dst) {
  // 8×8 blocks transposed in registers (three rounds of shuffles).
  const int64_t p_full = p_begin + (p_end - p_begin) / 8 * 8;
  const int64_t j_full = rows / 8 * 8;
  for (int64_t p = p_begin; p < p_full; p += 8) {
    for (int64_t j = 0; j < j_full; j += 8) {
      __m256 r[8], t[8];
      for (int i = 0; i < 8; ++i) r[i] = _mm256_loadu_ps(src + (j + i) * ld_src + p);
      for (int i = 0; i < 8; i += 2) {
        t[i] = _mm256_unpacklo_ps(r[i], r[i + 1]);
        t[i + 1] = _mm256_unpackhi_ps(r[i], r[i + 1]);
      }
      for (int i = 0; i < 8; i += 4) {
        r[i] = _mm256_shuffle_ps(t[i], t[i + 2], _MM_SHUFFLE(1, 0, 1, 0));
        r[i + 1] = _mm256_shuffle_ps(t[i], t[i + 2], _MM_SHUFFLE(3, 2, 3, 2));
        r[i + 2] = _mm256_shuffle_ps(t[i + 1], t[i + 3], _MM_SHUFFLE(1, 0, 1, 0));
        r[i + 3] = _mm256_shuffle_ps(t[i + 1], t[i + 3], _MM_SHUFFLE(3, 2, 3, 2));
      }
      for (int i = 0; i < 4; ++i) {
        _mm256_storeu_ps(dst + (p + i) * ld_dst + j, _mm256_permute2f128_ps(r[i], r[i + 4], 0x20));
        _mm256_storeu_ps(dst + (p + i + 4) * ld_dst + j, _mm256_permute2f128_ps(r[i], r[i + 4], 0x31));
      }
    }
    for (int64_t q = p; q < p + 8; ++q) {
      for (int64_t j = j_full; j < rows; ++j) dst[q * ld_dst + j] = src[j * ld_src + q];
    }
  }
  transpose_plain(src, ld_src, rows, p_full, p_end, dst, ld_dst);
}

}  // namespace
}  // namespace avx2
NNLAB_END_TARGET

void transpose_columns(const float* src, int64_t ld_src, int64_t rows, int64_t p_begin, int64_t p_end, float* dst,
                       int64_t ld_dst) {
  if (kernel_isa() >= KernelIsa::avx2) {
    avx2::transpose_blocks(src, ld_src, rows, p_begin, p_end, dst, ld_dst);
  } else {
    transpose_plain(src, ld_src, rows, p_begin, p_end, dst, ld_dst);
  }
}

void transpose_columns(const double* src, int64_t ld_src, int64_t rows, int64_t p_begin, int64_t p_end, double* dst,
                       int64_t ld_dst) {
  transpose_plain(src, ld_src, rows, p_begin, p_end, dst, ld_dst);
}

}  // namespace nnlab
