#include "nnlab/kernels/sparse_input.h"

#include <algorithm>
#include <cstdint>
#include <type_traits>

#include "nnlab/kernels/isa.h"
#include "nnlab/kernels/threads.h"
#include "nnlab/kernels/transpose.h"
#include "sparse_input_kernels.h"

namespace nnlab {

namespace detail::generic {
namespace {
#include "sparse_sums.inc"
}  // namespace
}  // namespace detail::generic

namespace {

// Row padding of the scratch matrices, in values: a whole number of 64-byte vectors.
constexpr int64_t kPad = 16;

int64_t padded(int64_t m) { return (m + kPad - 1) / kPad * kPad; }

// The generic kernels: the same sums on the baseline's vectors, rows compressed element by element.
constexpr detail::SparseKernels kGenericKernels{&detail::generic::blocked_sums<float>,
                                                &detail::generic::blocked_sums<double>, nullptr};

// The variant kernel_isa() chose. Linear takes the sparse path only with AVX2 or AVX-512
// (linear_sparse_input_density), but SparseInput itself works on every CPU.
const detail::SparseKernels& sparse_kernels() {
  switch (kernel_isa()) {
    case KernelIsa::avx512:
      return detail::avx512_sparse_kernels();
    case KernelIsa::avx2:
      return detail::avx2_sparse_kernels();
    default:
      return kGenericKernels;
  }
}

template <typename T>
detail::BlockedSums<T> blocked_sums() {
  if constexpr (std::is_same_v<T, float>) {
    return sparse_kernels().float_sums;
  } else {
    return sparse_kernels().double_sums;
  }
}

// Threads for a loop of `work` multiply-adds or copies: one unless it is large enough to pay for a
// parallel region (a few microseconds).
int threads_for(int64_t work) { return work > 4 * kParallelThreshold ? num_threads() : 1; }

}  // namespace

double linear_sparse_input_density() { return kernel_isa() == KernelIsa::generic ? 0.0 : kSparseInputDensity; }

template <typename T>
bool SparseInput<T>::assign(const T* x, int64_t rows, int64_t cols, double max_density) {
  const auto limit = static_cast<int64_t>(max_density * static_cast<double>(rows * cols));
  // Room for the limit plus one row written past it before the check, plus a vector's overrun.
  const auto room = static_cast<size_t>(limit + cols + kPad);
  if (row_col_.size() < room) {
    row_col_.resize(room);
    row_value_.resize(room);
  }
  rows_ = rows;
  cols_ = cols;
  count_ = 0;
  have_columns_ = false;
  const int64_t blocks = col_blocks();
  row_bounds_.resize(static_cast<size_t>(rows * (blocks + 1)));
  // Entries per column, counted on the way for build_columns.
  col_count_.assign(static_cast<size_t>(cols), 0);
  int32_t* col_count = col_count_.data();

  const detail::CompressRow compress_row = sparse_kernels().compress_row;
  int32_t* col_out = row_col_.data();
  T* value_out = row_value_.data();
  int64_t count = 0;
  for (int64_t r = 0; r < rows; ++r) {
    int32_t* bounds = row_bounds_.data() + r * (blocks + 1);
    const T* row = x + r * cols;
    int64_t c = 0;
    if constexpr (std::is_same_v<T, float>) {
      if (compress_row != nullptr) c = compress_row(row, cols, kBlock, bounds, col_out, value_out, &count, col_count);
    }
    for (; c < cols; ++c) {  // without branches: MNIST's zeros and nonzeros alternate unpredictably
      if (c % kBlock == 0) bounds[c / kBlock] = static_cast<int32_t>(count);
      const T v = row[c];
      col_out[count] = static_cast<int32_t>(c);
      value_out[count] = v;
      const int nonzero = v != T(0) ? 1 : 0;
      count += nonzero;
      col_count[c] += nonzero;
    }
    bounds[blocks] = static_cast<int32_t>(count);
    if (count > limit) return false;
  }
  count_ = count;
  return true;
}

template <typename T>
void SparseInput<T>::build_columns() {
  // A counting sort of the entries by column (assign counted them), row by row, so
  // that within a column they stay in row order; where a block of rows begins, every
  // column's fill position is its bound for that block.
  if (col_row_.size() < row_col_.size()) {
    col_row_.resize(row_col_.size());
    col_value_.resize(row_col_.size());
  }
  const int64_t blocks = row_blocks();
  col_bounds_.resize(static_cast<size_t>(cols_ * (blocks + 1)));
  fill_.resize(static_cast<size_t>(cols_));
  int32_t next = 0;
  for (int64_t c = 0; c < cols_; ++c) {
    fill_[static_cast<size_t>(c)] = next;
    next += col_count_[static_cast<size_t>(c)];
  }
  const int64_t row_stride = col_blocks() + 1;
  for (int64_t r = 0; r < rows_; ++r) {
    if (r % kBlock == 0) {
      for (int64_t c = 0; c < cols_; ++c) {
        col_bounds_[static_cast<size_t>(c * (blocks + 1) + r / kBlock)] = fill_[static_cast<size_t>(c)];
      }
    }
    const int32_t end = row_bounds_[static_cast<size_t>(r * row_stride + row_stride - 1)];
    for (int32_t e = row_bounds_[static_cast<size_t>(r * row_stride)]; e < end; ++e) {
      const auto slot = static_cast<size_t>(fill_[static_cast<size_t>(row_col_[static_cast<size_t>(e)])]++);
      col_row_[slot] = static_cast<int32_t>(r);
      col_value_[slot] = row_value_[static_cast<size_t>(e)];
    }
  }
  for (int64_t c = 0; c < cols_; ++c) {
    col_bounds_[static_cast<size_t>(c * (blocks + 1) + blocks)] = fill_[static_cast<size_t>(c)];
  }
  have_columns_ = true;
}

template <typename T>
void SparseInput<T>::linear_forward(const T* w, const T* bias, int64_t m, T* y) {
  const int64_t ms = padded(m);
  const int64_t cols = cols_;
  // Wᵀ, rows padded with zeros (the padding is written once, when the size changes).
  if (wt_.size() != static_cast<size_t>(cols * ms)) wt_.assign(static_cast<size_t>(cols * ms), T(0));
  if (bias_.size() != static_cast<size_t>(ms)) bias_.assign(static_cast<size_t>(ms), T(0));
  if (bias != nullptr) std::copy(bias, bias + m, bias_.begin());
  if (sums_.size() < static_cast<size_t>(rows_ * ms)) sums_.resize(static_cast<size_t>(rows_ * ms));
  T* wt = wt_.data();
  T* sums = sums_.data();
  run_parallel(threads_for(nonzeros() * m), [&](int part, int parts) {
    transpose_columns(w, cols, m, cols * part / parts / 8 * 8,
                      part + 1 == parts ? cols : cols * (part + 1) / parts / 8 * 8, wt, ms);
    if (parts > 1) {
#pragma omp barrier
    }
    const int64_t r_begin = rows_ * part / parts, r_end = rows_ * (part + 1) / parts;
    blocked_sums<T>()(r_begin, r_end, col_blocks(), row_bounds_.data(), row_col_.data(), row_value_.data(), wt, ms,
                      bias != nullptr ? bias_.data() : nullptr, sums);
    for (int64_t r = r_begin; r < r_end; ++r) std::copy(sums + r * ms, sums + r * ms + m, y + r * m);
  });
}

template <typename T>
void SparseInput<T>::weight_grad(const T* dy, int64_t m, T* dw) {
  if (!have_columns_) build_columns();
  const int64_t ms = padded(m);
  if (dy_.size() != static_cast<size_t>(rows_ * ms)) dy_.assign(static_cast<size_t>(rows_ * ms), T(0));
  for (int64_t r = 0; r < rows_; ++r) std::copy(dy + r * m, dy + (r + 1) * m, dy_.data() + r * ms);

  // Each column's sums go to a row of dWᵀ (whole vectors, contiguous), then dWᵀ is transposed into dW.
  const int64_t cols = cols_;
  if (dwt_.size() < static_cast<size_t>(cols * ms)) dwt_.resize(static_cast<size_t>(cols * ms));
  T* dwt = dwt_.data();
  run_parallel(threads_for(nonzeros() * m), [&](int part, int parts) {
    blocked_sums<T>()(cols * part / parts, cols * (part + 1) / parts, row_blocks(), col_bounds_.data(), col_row_.data(),
                      col_value_.data(), dy_.data(), ms, nullptr, dwt);
    if (parts > 1) {
#pragma omp barrier
    }
    transpose_columns(dwt, ms, cols, m * part / parts, m * (part + 1) / parts, dw, cols);
  });
}

template class SparseInput<float>;
template class SparseInput<double>;

}  // namespace nnlab
