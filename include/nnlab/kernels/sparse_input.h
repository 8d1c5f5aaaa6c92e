#pragma once
// The first Linear layer's two products when its input is mostly zeros.
//
// An MNIST image is 81% zero pixels (black background), so in the first layer of
// an MLP most of the products x·Wᵀ and dyᵀ·x multiply by zero. SparseInput keeps
// a batch by its nonzero entries, by row and by column, and the two products
// below touch only those:
//
//   forward:  y = x·Wᵀ + b     y[r,:] = b + Σ_{c: x[r,c]≠0} x[r,c]·W[:,c]
//   backward: dW = dyᵀ·x       dW[:,c] = Σ_{r: x[r,c]≠0} x[r,c]·dy[r,:]
//
// The results equal the dense products up to the order of the sums. The first
// layer needs no dx (nothing uses the gradient of the data), so these two are all
// it computes. Linear uses them when its input's share of nonzeros is at most
// kSparseInputDensity; other inputs go to the dense products (gemm).
//
// Once the batch size is known, nothing here allocates.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "nnlab/tensor/aligned_allocator.h"

namespace nnlab {

// Above this share of nonzero entries the dense products are faster (measured
// on the bench machine: the sparse forward and dW cost about as much as the
// dense ones at a share of 0.45 for a 784×100 layer).
inline constexpr double kSparseInputDensity = 0.3;

template <typename T>
class SparseInput {
 public:
  // Keeps the nonzero entries of the dense rows×cols matrix x (row-major) and
  // returns true, or returns false (keeping nothing) when more than
  // max_density of them are nonzero.
  bool assign(const T* x, int64_t rows, int64_t cols, double max_density);

  int64_t rows() const { return rows_; }
  int64_t cols() const { return cols_; }
  int64_t nonzeros() const { return static_cast<int64_t>(row_start_[static_cast<size_t>(rows_)]); }

  // y (rows×m) = x·Wᵀ + bias, for W (m×cols, row-major); bias may be nullptr.
  void linear_forward(const T* w, const T* bias, int64_t m, T* y);
  // dw (m×cols) = dyᵀ·x, for dy (rows×m).
  void weight_grad(const T* dy, int64_t m, T* dw);

 private:
  void build_columns();

  int64_t rows_ = 0, cols_ = 0;
  // By row (CSR): the entries of row r are [row_start_[r], row_start_[r + 1]).
  std::vector<int32_t> row_start_{0}, row_col_;
  std::vector<T> row_value_;
  // By column (CSC), built on the first weight_grad after assign.
  bool have_columns_ = false;
  std::vector<int32_t> col_start_, col_row_;
  std::vector<T> col_value_;
  // Scratch: Wᵀ, dy and dWᵀ with rows padded to a multiple of 16 values, and the bias so padded.
  std::vector<T, AlignedAllocator<T>> wt_, dy_, dwt_, bias_;
};

}  // namespace nnlab
