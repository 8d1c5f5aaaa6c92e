#include "nnlab/kernels/sparse_input.h"

#include <algorithm>
#include <type_traits>

#include "nnlab/kernels/threads.h"
#include "nnlab/kernels/transpose.h"

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

namespace nnlab {

namespace {

// Row padding of the scratch matrices, in values: a whole number of 64-byte vectors.
constexpr int64_t kPad = 16;

int64_t padded(int64_t m) { return (m + kPad - 1) / kPad * kPad; }

// 64 bytes of T (16 floats or 8 doubles), as a GCC/Clang vector: one AVX-512
// register, or two or four narrower ones where the CPU has no AVX-512.
template <typename T>
struct Vector {
  typedef T type __attribute__((vector_size(64)));
  static constexpr int kLanes = 64 / sizeof(T);
  static type load(const T* p) {
    type v;
    __builtin_memcpy(&v, p, sizeof v);
    return v;
  }
  static void store(T* p, type v) { __builtin_memcpy(p, &v, sizeof v); }
};

// acc[0..W) = init[0..W) + Σ_e value[e] · base[index[e] · stride + (0..W)]: one block of W
// output values, kept in registers while the entries stream past. (Written with
// explicit vectors: left to itself, GCC vectorises across the entries with gathers.)
template <typename T, int W>
void accumulate(const int32_t* index, const T* value, int64_t count, const T* base, int64_t stride, const T* init,
                T* acc_out) {
  using V = Vector<T>;
  constexpr int kVectors = W * static_cast<int>(sizeof(T)) / 64;
  typename V::type acc[kVectors];
  for (int i = 0; i < kVectors; ++i) acc[i] = init == nullptr ? typename V::type{} : V::load(init + i * V::kLanes);
  for (int64_t e = 0; e < count; ++e) {
    const T v = value[e];
    const T* src = base + static_cast<int64_t>(index[e]) * stride;
    for (int i = 0; i < kVectors; ++i) acc[i] += v * V::load(src + i * V::kLanes);
  }
  for (int i = 0; i < kVectors; ++i) V::store(acc_out + i * V::kLanes, acc[i]);
}

// Calls accumulate over the padded width ms in blocks of at most 8 vectors (8 independent
// chains of multiply-adds, enough to keep the FMA units busy);
// store(j0, acc, width) receives each block of values [j0, j0 + width).
template <typename T, typename Store>
void accumulate_row(const int32_t* index, const T* value, int64_t count, const T* base, int64_t ms, const T* init,
                    Store&& store) {
  constexpr int kLanes = Vector<T>::kLanes;
  alignas(64) T acc[8 * kLanes];
  for (int64_t j0 = 0; j0 < ms;) {
    const int vectors = static_cast<int>(std::min<int64_t>(8, (ms - j0) / kLanes));
    const T* block_init = init == nullptr ? nullptr : init + j0;
    const T* block_base = base + j0;
    switch (vectors) {
#define NNLAB_ACCUMULATE(N) \
  case N:                   \
    accumulate<T, N * kLanes>(index, value, count, block_base, ms, block_init, acc); \
    break;
      NNLAB_ACCUMULATE(1)
      NNLAB_ACCUMULATE(2)
      NNLAB_ACCUMULATE(3)
      NNLAB_ACCUMULATE(4)
      NNLAB_ACCUMULATE(5)
      NNLAB_ACCUMULATE(6)
      NNLAB_ACCUMULATE(7)
      default:
        accumulate<T, 8 * kLanes>(index, value, count, block_base, ms, block_init, acc);
#undef NNLAB_ACCUMULATE
    }
    const int64_t width = static_cast<int64_t>(vectors) * kLanes;
    store(j0, acc, width);
    j0 += width;
  }
}

// Threads for a loop of `work` multiply-adds or copies: one unless it is large enough to pay for a
// parallel region (a few microseconds).
int threads_for(int64_t work) { return work > 4 * kParallelThreshold ? num_threads() : 1; }

}  // namespace

template <typename T>
bool SparseInput<T>::assign(const T* x, int64_t rows, int64_t cols, double max_density) {
  const auto limit = static_cast<int64_t>(max_density * static_cast<double>(rows * cols));
  // Room for the limit plus one row written past it before the check, plus a vector's overrun.
  const auto room = static_cast<size_t>(limit + cols + kPad);
  if (row_col_.size() < room) {
    row_col_.resize(room);
    row_value_.resize(room);
  }
  row_start_.resize(static_cast<size_t>(rows + 1));
  rows_ = rows;
  cols_ = cols;
  have_columns_ = false;
  // Entries per column, counted on the way for build_columns: col_start_[c + 1].
  col_start_.assign(static_cast<size_t>(cols + 1), 0);
  int32_t* col_count = col_start_.data() + 1;

  int32_t* col_out = row_col_.data();
  T* value_out = row_value_.data();
  int64_t count = 0;
  for (int64_t r = 0; r < rows; ++r) {
    row_start_[static_cast<size_t>(r)] = static_cast<int32_t>(count);
    const T* row = x + r * cols;
    int64_t c = 0;
#if defined(__AVX512F__)
    if constexpr (std::is_same_v<T, float>) {
      // 16 values at a time: compare with zero, compress the nonzeros and their
      // column numbers to the front of a register, store all 16, count them in
      // total and per column.
      const __m512i step = _mm512_set1_epi32(16);
      const __m512i one = _mm512_set1_epi32(1);
      __m512i columns = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
      for (; c + 16 <= cols; c += 16) {
        const __m512 v = _mm512_loadu_ps(row + c);
        const __mmask16 nonzero = _mm512_cmp_ps_mask(v, _mm512_setzero_ps(), _CMP_NEQ_UQ);
        _mm512_storeu_ps(value_out + count, _mm512_maskz_compress_ps(nonzero, v));
        _mm512_storeu_si512(col_out + count, _mm512_maskz_compress_epi32(nonzero, columns));
        count += __builtin_popcount(nonzero);
        columns = _mm512_add_epi32(columns, step);
        const __m512i counts = _mm512_loadu_si512(col_count + c);
        _mm512_storeu_si512(col_count + c, _mm512_mask_add_epi32(counts, nonzero, counts, one));
      }
    }
#endif
    for (; c < cols; ++c) {  // without branches: MNIST's zeros and nonzeros alternate unpredictably
      const T v = row[c];
      col_out[count] = static_cast<int32_t>(c);
      value_out[count] = v;
      const int nonzero = v != T(0) ? 1 : 0;
      count += nonzero;
      col_count[c] += nonzero;
    }
    if (count > limit) return false;
  }
  row_start_[static_cast<size_t>(rows)] = static_cast<int32_t>(count);
  return true;
}

template <typename T>
void SparseInput<T>::build_columns() {
  // A counting sort of the entries by column (assign counted them); within a column
  // they stay in row order.
  if (col_row_.size() < row_col_.size()) {
    col_row_.resize(row_col_.size());
    col_value_.resize(row_col_.size());
  }
  for (int64_t c = 0; c < cols_; ++c) col_start_[static_cast<size_t>(c + 1)] += col_start_[static_cast<size_t>(c)];
  // col_start_ serves as the fill cursor, then is shifted back.
  for (int64_t r = 0; r < rows_; ++r) {
    for (int32_t e = row_start_[static_cast<size_t>(r)]; e < row_start_[static_cast<size_t>(r + 1)]; ++e) {
      const auto slot = static_cast<size_t>(col_start_[static_cast<size_t>(row_col_[static_cast<size_t>(e)])]++);
      col_row_[slot] = static_cast<int32_t>(r);
      col_value_[slot] = row_value_[static_cast<size_t>(e)];
    }
  }
  for (int64_t c = cols_; c > 0; --c) col_start_[static_cast<size_t>(c)] = col_start_[static_cast<size_t>(c - 1)];
  col_start_[0] = 0;
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
  T* wt = wt_.data();
  run_parallel(threads_for(cols * m), [&](int part, int parts) {
    transpose_columns(w, cols, m, cols * part / parts / 8 * 8, part + 1 == parts ? cols : cols * (part + 1) / parts / 8 * 8,
                      wt, ms);
  });

  const T* init = bias != nullptr ? bias_.data() : nullptr;
  run_parallel(threads_for(nonzeros() * m), [&](int part, int parts) {
    for (int64_t r = rows_ * part / parts; r < rows_ * (part + 1) / parts; ++r) {
      const int32_t begin = row_start_[static_cast<size_t>(r)];
      const int32_t end = row_start_[static_cast<size_t>(r + 1)];
      T* out = y + r * m;
      accumulate_row<T>(row_col_.data() + begin, row_value_.data() + begin, end - begin, wt, ms, init,
                        [&](int64_t j0, const T* acc, int64_t width) {
                          std::copy(acc, acc + std::min(width, m - j0), out + j0);
                        });
    }
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
    const int64_t c_begin = cols * part / parts, c_end = cols * (part + 1) / parts;
    for (int64_t c = c_begin; c < c_end; ++c) {
      const int32_t begin = col_start_[static_cast<size_t>(c)];
      const int32_t end = col_start_[static_cast<size_t>(c + 1)];
      accumulate_row<T>(col_row_.data() + begin, col_value_.data() + begin, end - begin, dy_.data(), ms, nullptr,
                        [&](int64_t j0, const T* acc, int64_t width) { std::copy(acc, acc + width, dwt + c * ms + j0); });
    }
    if (parts > 1) {
#pragma omp barrier
    }
    transpose_columns(dwt, ms, cols, m * part / parts, m * (part + 1) / parts, dw, cols);
  });
}

template class SparseInput<float>;
template class SparseInput<double>;

}  // namespace nnlab
