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

// The share below which Linear takes the sparse path: kSparseInputDensity with the AVX2 or
// AVX-512 kernels (kernel_isa() in kernels/isa.h), else 0 (never). The AVX2 sums keep one 8-float
// register per vector (sparse_input_avx2.cpp) and compress rows element by element; on a Zen 2 the
// MLP step on MNIST batches (about 19% nonzero) measured 134,000 samples/s on it against 108,000 on
// the dense products, one thread (bench/README.md). With the generic kernels the 64-byte vectors
// split into SSE registers and the path measured less than half the dense one's speed (Zen 3).
double linear_sparse_input_density();

template <typename T>
class SparseInput {
 public:
  // Keeps the nonzero entries of the dense rows×cols matrix x (row-major) and
  // returns true, or returns false (keeping nothing) when more than
  // max_density of them are nonzero.
  bool assign(const T* x, int64_t rows, int64_t cols, double max_density);

  int64_t rows() const { return rows_; }
  int64_t cols() const { return cols_; }
  int64_t nonzeros() const { return count_; }

  // y (rows×m) = x·Wᵀ + bias, for W (m×cols, row-major); bias may be nullptr.
  void linear_forward(const T* w, const T* bias, int64_t m, T* y);
  // dw (m×cols) = dyᵀ·x, for dy (rows×m).
  void weight_grad(const T* dy, int64_t m, T* dw);

 private:
  // The products take the entries in blocks of kBlock columns (forward) or rows (dW),
  // so that the rows of the dense operand a block reads stay in the caches. 128 was
  // measured best for a 128×784 MNIST batch into 100 outputs (forward 70 µs against 83
  // with no blocks; 32 and 64, which fit the L1 cache, lose more to the extra passes).
  static constexpr int64_t kBlock = 128;
  int64_t col_blocks() const { return (cols_ + kBlock - 1) / kBlock; }
  int64_t row_blocks() const { return (rows_ + kBlock - 1) / kBlock; }
  void build_columns();

  int64_t rows_ = 0, cols_ = 0, count_ = 0;
  // By row: column numbers and values; row r's entries in column block b are
  // [row_bounds_[r·(B + 1) + b], row_bounds_[r·(B + 1) + b + 1]), B = col_blocks().
  std::vector<int32_t> row_col_, row_bounds_;
  std::vector<T> row_value_;
  std::vector<int32_t> col_count_;  // entries per column
  // By column, built on the first weight_grad after assign: row numbers and values;
  // col_bounds_ as row_bounds_, over blocks of rows; fill_ is build_columns' cursor.
  bool have_columns_ = false;
  std::vector<int32_t> col_row_, col_bounds_, fill_;
  std::vector<T> col_value_;
  // Scratch: Wᵀ, dy, dWᵀ and y's sums with rows padded to a multiple of 16 values, and
  // the bias so padded.
  std::vector<T, AlignedAllocator<T>> wt_, dy_, dwt_, sums_, bias_;
};

}  // namespace nnlab
