#include "nnlab/kernels/gemm.h"

#include <cblas.h>

#include "small_sgemm.h"

namespace nnlab {

namespace {
CBLAS_TRANSPOSE to_cblas(Transpose t) { return t == Transpose::kYes ? CblasTrans : CblasNoTrans; }
// Leading dimension of a row-major matrix stored as rows×cols.
int lead(Transpose t, int64_t rows_after_op, int64_t cols_after_op) {
  return static_cast<int>(t == Transpose::kYes ? rows_after_op : cols_after_op);
}

void blas_gemm(Transpose trans_a, Transpose trans_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a,
               const float* b, float beta, float* c) {
  cblas_sgemm(CblasRowMajor, to_cblas(trans_a), to_cblas(trans_b), static_cast<int>(m), static_cast<int>(n),
              static_cast<int>(k), alpha, a, lead(trans_a, m, k), b, lead(trans_b, k, n), beta, c, static_cast<int>(n));
}
void blas_gemm(Transpose trans_a, Transpose trans_b, int64_t m, int64_t n, int64_t k, double alpha, const double* a,
               const double* b, double beta, double* c) {
  cblas_dgemm(CblasRowMajor, to_cblas(trans_a), to_cblas(trans_b), static_cast<int>(m), static_cast<int>(n),
              static_cast<int>(k), alpha, a, lead(trans_a, m, k), b, lead(trans_b, k, n), beta, c, static_cast<int>(n));
}

// BLAS has no bias: C ← beta·C + bias first, then the product is added to it.
template <typename T>
void blas_gemm_with_bias(Transpose trans_a, Transpose trans_b, int64_t m, int64_t n, int64_t k, T alpha, const T* a,
                         const T* b, T beta, T* c, const T* bias) {
  if (bias != nullptr) {
    for (int64_t i = 0; i < m; ++i) {
      T* row = c + i * n;
      // beta = 0 must not read C: it may hold NaN.
      for (int64_t j = 0; j < n; ++j) row[j] = (beta == T(0) ? T(0) : beta * row[j]) + bias[j];
    }
    beta = T(1);
  }
  blas_gemm(trans_a, trans_b, m, n, k, alpha, a, b, beta, c);
}
}  // namespace

void gemm(Transpose trans_a, Transpose trans_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a,
          const float* b, float beta, float* c) {
  gemm(trans_a, trans_b, m, n, k, alpha, a, b, beta, c, nullptr);
}

void gemm(Transpose trans_a, Transpose trans_b, int64_t m, int64_t n, int64_t k, double alpha, const double* a,
          const double* b, double beta, double* c) {
  blas_gemm(trans_a, trans_b, m, n, k, alpha, a, b, beta, c);
}

void gemm(Transpose trans_a, Transpose trans_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a,
          const float* b, float beta, float* c, const float* bias) {
  const bool ta = trans_a == Transpose::kYes;
  const bool tb = trans_b == Transpose::kYes;
  if (detail::small_sgemm_available() && detail::small_sgemm_suits(m, n, k, tb)) {
    detail::small_sgemm(ta, tb, m, n, k, alpha, a, ta ? m : k, b, tb ? k : n, beta, c, n, bias);
    return;
  }
  blas_gemm_with_bias(trans_a, trans_b, m, n, k, alpha, a, b, beta, c, bias);
}

void gemm(Transpose trans_a, Transpose trans_b, int64_t m, int64_t n, int64_t k, double alpha, const double* a,
          const double* b, double beta, double* c, const double* bias) {
  blas_gemm_with_bias(trans_a, trans_b, m, n, k, alpha, a, b, beta, c, bias);
}

}  // namespace nnlab
