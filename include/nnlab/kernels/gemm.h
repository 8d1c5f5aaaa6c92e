#pragma once
// Matrix products, for float and double.
//   C = alpha · op(A) · op(B) + beta · C,   all matrices row-major.
// op(X) is X or Xᵀ; A is m×k after op, B is k×n after op, C is m×n.
//
// float products small enough to stay in the L2 cache (MLP layers: 128×100·100×100)
// run on nnlab's own AVX-512 kernel, which on them is about 10% faster than
// OpenBLAS and splits the work between threads itself; everything else goes to
// OpenBLAS (cblas_sgemm, cblas_dgemm).

#include <cstdint>

namespace nnlab {

enum class Transpose { kNo, kYes };

void gemm(Transpose trans_a, Transpose trans_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a,
          const float* b, float beta, float* c);
void gemm(Transpose trans_a, Transpose trans_b, int64_t m, int64_t n, int64_t k, double alpha, const double* a,
          const double* b, double beta, double* c);

// The same with a bias: C = alpha · op(A) · op(B) + beta · C + 1·biasᵀ, the n values of
// `bias` added to every row of C (an affine layer's y = x·Wᵀ + b in one pass over C).
void gemm(Transpose trans_a, Transpose trans_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a,
          const float* b, float beta, float* c, const float* bias);
void gemm(Transpose trans_a, Transpose trans_b, int64_t m, int64_t n, int64_t k, double alpha, const double* a,
          const double* b, double beta, double* c, const double* bias);

}  // namespace nnlab
