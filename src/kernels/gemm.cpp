#include "nnlab/kernels/gemm.h"

#include <cblas.h>

namespace nnlab {

namespace {
CBLAS_TRANSPOSE to_cblas(Transpose t) { return t == Transpose::kYes ? CblasTrans : CblasNoTrans; }
// Leading dimension of a row-major matrix stored as rows×cols.
int lead(Transpose t, int64_t rows_after_op, int64_t cols_after_op) {
  return static_cast<int>(t == Transpose::kYes ? rows_after_op : cols_after_op);
}
}  // namespace

void gemm(Transpose trans_a, Transpose trans_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a,
          const float* b, float beta, float* c) {
  cblas_sgemm(CblasRowMajor, to_cblas(trans_a), to_cblas(trans_b), static_cast<int>(m), static_cast<int>(n),
              static_cast<int>(k), alpha, a, lead(trans_a, m, k), b, lead(trans_b, k, n), beta, c,
              static_cast<int>(n));
}

void gemm(Transpose trans_a, Transpose trans_b, int64_t m, int64_t n, int64_t k, double alpha, const double* a,
          const double* b, double beta, double* c) {
  cblas_dgemm(CblasRowMajor, to_cblas(trans_a), to_cblas(trans_b), static_cast<int>(m), static_cast<int>(n),
              static_cast<int>(k), alpha, a, lead(trans_a, m, k), b, lead(trans_b, k, n), beta, c,
              static_cast<int>(n));
}

}  // namespace nnlab
