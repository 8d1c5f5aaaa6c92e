// SparseInput's sums for AVX2 + FMA (KernelIsa::avx2): the vectors of sparse_sums.inc one 8-float
// register each. Rows are compressed element by element (AVX2 has no VPCOMPRESS).

#include <algorithm>
#include <cstdint>

#include "isa_target.h"
#include "sparse_input_kernels.h"

NNLAB_BEGIN_AVX2
namespace nnlab::detail::avx2 {
namespace {

#define NNLAB_SPARSE_VECTOR_BYTES 32
#include "sparse_sums.inc"

constexpr SparseKernels kKernels{&blocked_sums<float>, &blocked_sums<double>, nullptr};

}  // namespace
}  // namespace nnlab::detail::avx2
NNLAB_END_TARGET

namespace nnlab::detail {
const SparseKernels& avx2_sparse_kernels() { return avx2::kKernels; }
}  // namespace nnlab::detail
