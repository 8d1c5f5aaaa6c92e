#pragma once
// A float matrix product for the small, cache-resident shapes of MLP training
// (e.g. 128×100 · 100×100), where OpenBLAS spends a large share of its time on
// copying both operands into its packed formats and on edge handling.
//
//   C = alpha · op(A) · op(B) + beta · C   (+ bias added to every row of C, if given)
//
// Row-major, the same arguments as cblas_sgemm. Built only with AVX-512
// and AVX-512VL (small_sgemm_available() is false otherwise, and gemm() uses OpenBLAS).

#include <cstdint>

namespace nnlab::detail {

// Whether this build has the kernel (AVX-512).
bool small_sgemm_available();

// Whether the kernel is the better choice for this shape: all operands fit in
// the L2 caches together. Larger products go to OpenBLAS, which blocks for
// the caches.
bool small_sgemm_suits(int64_t m, int64_t n, int64_t k);

// bias: nullptr or n values added to every row of C after the product.
void small_sgemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a, int64_t lda,
                 const float* b, int64_t ldb, float beta, float* c, int64_t ldc, const float* bias);

}  // namespace nnlab::detail
