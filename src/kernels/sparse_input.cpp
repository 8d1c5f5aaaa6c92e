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

// out[0..W) = init[0..W) + Σ_e value[e] · base[index[e] · stride + (0..W)]: one block of W
// output values, kept in registers while the entries stream past; init may be out itself,
// or nullptr for zeros. (Written with explicit vectors: left to itself, GCC vectorises
// across the entries, with gathers.)
template <typename T, int W>
void accumulate(const int32_t* index, const T* value, int64_t count, const T* base, int64_t stride, const T* init,
                T* out) {
  using V = Vector<T>;
  constexpr int kVectors = W * static_cast<int>(sizeof(T)) / 64;
  typename V::type acc[kVectors];
  for (int i = 0; i < kVectors; ++i) acc[i] = init == nullptr ? typename V::type{} : V::load(init + i * V::kLanes);
  for (int64_t e = 0; e < count; ++e) {
    const T v = value[e];
    const T* src = base + static_cast<int64_t>(index[e]) * stride;
    for (int i = 0; i < kVectors; ++i) acc[i] += v * V::load(src + i * V::kLanes);
  }
  for (int i = 0; i < kVectors; ++i) V::store(out + i * V::kLanes, acc[i]);
}

// accumulate for 1 to 8 vectors (8 independent chains of multiply-adds keep the FMA units busy).
template <typename T>
void accumulate_vectors(int vectors, const int32_t* index, const T* value, int64_t count, const T* base,
                        int64_t stride, const T* init, T* out) {
  constexpr int kLanes = Vector<T>::kLanes;
  switch (vectors) {
    case 1: return accumulate<T, 1 * kLanes>(index, value, count, base, stride, init, out);
    case 2: return accumulate<T, 2 * kLanes>(index, value, count, base, stride, init, out);
    case 3: return accumulate<T, 3 * kLanes>(index, value, count, base, stride, init, out);
    case 4: return accumulate<T, 4 * kLanes>(index, value, count, base, stride, init, out);
    case 5: return accumulate<T, 5 * kLanes>(index, value, count, base, stride, init, out);
    case 6: return accumulate<T, 6 * kLanes>(index, value, count, base, stride, init, out);
    case 7: return accumulate<T, 7 * kLanes>(index, value, count, base, stride, init, out);
    default: return accumulate<T, 8 * kLanes>(index, value, count, base, stride, init, out);
  }
}

// The two products in one form. Item k (a row of x in the forward product, a column
// for dW) has entries (index, value) split into `blocks` blocks, those of block b
// being [bounds[k·(blocks + 1) + b], bounds[k·(blocks + 1) + b + 1]); its sums are
//   out[k·ms + j] = init[j] + Σ_e value[e] · dense[index[e]·ms + j]      (j < ms),
// kept in out between blocks. All items pass through one block (one band of rows of
// `dense`) before the next, so that the band stays in the caches meanwhile.
template <typename T>
void blocked_sums(int64_t k_begin, int64_t k_end, int64_t blocks, const int32_t* bounds, const int32_t* index,
                  const T* value, const T* dense, int64_t ms, const T* init, T* out) {
  constexpr int64_t kLanes = Vector<T>::kLanes;
  for (int64_t b = 0; b < blocks; ++b) {
    for (int64_t j0 = 0; j0 < ms; j0 += 8 * kLanes) {
      const int vectors = static_cast<int>(std::min<int64_t>(8, (ms - j0) / kLanes));
      for (int64_t k = k_begin; k < k_end; ++k) {
        const int32_t* item = bounds + k * (blocks + 1) + b;
        const int32_t begin = item[0], end = item[1];
        if (b > 0 && begin == end) continue;
        T* sums = out + k * ms + j0;
        const T* start = b > 0 ? sums : init == nullptr ? nullptr : init + j0;
        accumulate_vectors<T>(vectors, index + begin, value + begin, end - begin, dense + j0, ms, start, sums);
      }
    }
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
  rows_ = rows;
  cols_ = cols;
  count_ = 0;
  have_columns_ = false;
  const int64_t blocks = col_blocks();
  row_bounds_.resize(static_cast<size_t>(rows * (blocks + 1)));
  // Entries per column, counted on the way for build_columns.
  col_count_.assign(static_cast<size_t>(cols), 0);
  int32_t* col_count = col_count_.data();

  int32_t* col_out = row_col_.data();
  T* value_out = row_value_.data();
  int64_t count = 0;
  for (int64_t r = 0; r < rows; ++r) {
    int32_t* bounds = row_bounds_.data() + r * (blocks + 1);
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
        if (c % kBlock == 0) bounds[c / kBlock] = static_cast<int32_t>(count);
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
    transpose_columns(w, cols, m, cols * part / parts / 8 * 8, part + 1 == parts ? cols : cols * (part + 1) / parts / 8 * 8,
                      wt, ms);
    if (parts > 1) {
#pragma omp barrier
    }
    const int64_t r_begin = rows_ * part / parts, r_end = rows_ * (part + 1) / parts;
    blocked_sums<T>(r_begin, r_end, col_blocks(), row_bounds_.data(), row_col_.data(), row_value_.data(), wt, ms,
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
    blocked_sums<T>(cols * part / parts, cols * (part + 1) / parts, row_blocks(), col_bounds_.data(), col_row_.data(),
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
