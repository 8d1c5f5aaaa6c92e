#pragma once
// Matrix products through OpenBLAS, for float and double.
//   C = alpha · op(A) · op(B) + beta · C,   all matrices row-major.
// op(X) is X or Xᵀ; A is m×k after op, B is k×n after op, C is m×n.

#include <cstdint>

namespace nnlab {

enum class Transpose { kNo, kYes };

void gemm(Transpose trans_a, Transpose trans_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a,
          const float* b, float beta, float* c);
void gemm(Transpose trans_a, Transpose trans_b, int64_t m, int64_t n, int64_t k, double alpha, const double* a,
          const double* b, double beta, double* c);

}  // namespace nnlab
