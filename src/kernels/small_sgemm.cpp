#include "small_sgemm.h"

#include <omp.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <memory>
#include <new>
#include <utility>

#if defined(__AVX512F__) && defined(__AVX512VL__)
#include <immintrin.h>
#endif

#include "nnlab/kernels/threads.h"
#include "nnlab/kernels/transpose.h"

namespace nnlab::detail {

#if defined(__AVX512F__) && defined(__AVX512VL__)

namespace {

// Two register widths. Full 16-float (AVX-512) vectors do most of the work;
// an 8-float (AVX-512VL) vector takes a right edge of up to 8 columns, which a
// masked 16-float vector would compute at twice the cost (n = 100 = 6·16 + 4).
struct Wide {
  using Reg = __m512;
  using Mask = __mmask16;
  static constexpr int kLanes = 16;
  static Reg zero() { return _mm512_setzero_ps(); }
  static Reg broadcast(float x) { return _mm512_set1_ps(x); }
  static Reg load(const float* p) { return _mm512_loadu_ps(p); }
  static Reg load(const float* p, Mask m) { return _mm512_maskz_loadu_ps(m, p); }
  static void store(float* p, Mask m, Reg v) { _mm512_mask_storeu_ps(p, m, v); }
  static Reg fma(Reg a, Reg b, Reg c) { return _mm512_fmadd_ps(a, b, c); }
  static Reg mul(Reg a, Reg b) { return _mm512_mul_ps(a, b); }
  static Reg add(Reg a, Reg b) { return _mm512_add_ps(a, b); }
};
struct Narrow {
  using Reg = __m256;
  using Mask = __mmask8;
  static constexpr int kLanes = 8;
  static Reg zero() { return _mm256_setzero_ps(); }
  static Reg broadcast(float x) { return _mm256_set1_ps(x); }
  static Reg load(const float* p) { return _mm256_loadu_ps(p); }
  static Reg load(const float* p, Mask m) { return _mm256_maskz_loadu_ps(m, p); }
  static void store(float* p, Mask m, Reg v) { _mm256_mask_storeu_ps(p, m, v); }
  static Reg fma(Reg a, Reg b, Reg c) { return _mm256_fmadd_ps(a, b, c); }
  static Reg mul(Reg a, Reg b) { return _mm256_mul_ps(a, b); }
  static Reg add(Reg a, Reg b) { return _mm256_add_ps(a, b); }
};

// The micro-tile: up to 8 rows × 3 wide vectors (48 columns) of C held in 24 of
// the 32 registers while the product runs along the depth. Each step along the
// depth loads 3 vectors of op(B), broadcasts 8 values of op(A) and does 24
// fused multiply-adds: enough independent sums to hide the FMA latency, few
// enough loads per FMA to stay within the load ports.
constexpr int kTileRows = 8;
constexpr int kTileVectors = 3;
constexpr int64_t kTileCols = kTileVectors * Wide::kLanes;
// The depth is cut into blocks so that the slice of op(B) that a column panel's
// row tiles share (256 × 48 floats, 48 KiB) stays close to L1 while they reuse it.
// On the MLP's products, blocks from 128 to 784 deep measured within 3%.
constexpr int64_t kDepthBlock = 256;
// Products below this many multiply-adds run on one thread: a parallel region
// costs about a microsecond, the time of some 50,000 multiply-adds on one core.
constexpr int64_t kParallelWork = int64_t{1} << 20;
// Everything (op(A), op(B), C) must fit in about one core's L2 cache.
constexpr int64_t kMaxFloats = int64_t{1} << 18;

// C[Rows × Vectors·lanes] = alpha · Σ_p op(A)[i, p] · op(B)[p, j] + beta · C (+ bias), where
//   op(A)[i, p] = a[i·lda + p], or a[p·lda + i] if ATransposed;
//   op(B)[p, j] = b[p·ldb + j].
// last_mask selects the columns of the last vector that exist (the tile's right edge).
template <typename V, int Rows, int Vectors, bool ATransposed>
void micro_tile(int64_t depth, const float* a, int64_t lda, const float* b, int64_t ldb, unsigned last_mask, float* c,
                int64_t ldc, float alpha, float beta, const float* bias) {
  using Reg = typename V::Reg;
  const auto edge = static_cast<typename V::Mask>(last_mask);
  Reg sum[Rows][Vectors];
#pragma GCC unroll 8
  for (int i = 0; i < Rows; ++i) {
#pragma GCC unroll 3
    for (int v = 0; v < Vectors; ++v) sum[i][v] = V::zero();
  }
  for (int64_t p = 0; p < depth; ++p) {
    const float* b_row = b + p * ldb;
    Reg b_vec[Vectors];
#pragma GCC unroll 3
    for (int v = 0; v < Vectors; ++v) {
      b_vec[v] = v + 1 < Vectors ? V::load(b_row + v * V::kLanes) : V::load(b_row + v * V::kLanes, edge);
    }
#pragma GCC unroll 8
    for (int i = 0; i < Rows; ++i) {
      const Reg a_value = V::broadcast(ATransposed ? a[p * lda + i] : a[i * lda + p]);
#pragma GCC unroll 3
      for (int v = 0; v < Vectors; ++v) sum[i][v] = V::fma(a_value, b_vec[v], sum[i][v]);
    }
  }
  const Reg alpha_vec = V::broadcast(alpha);
  const Reg beta_vec = V::broadcast(beta);
#pragma GCC unroll 8
  for (int i = 0; i < Rows; ++i) {
#pragma GCC unroll 3
    for (int v = 0; v < Vectors; ++v) {
      const auto mask = v + 1 < Vectors ? static_cast<typename V::Mask>(~0u) : edge;
      float* c_vec = c + i * ldc + v * V::kLanes;
      Reg result = V::mul(alpha_vec, sum[i][v]);
      // beta = 0 must not read C: it may hold NaN or garbage (BLAS semantics).
      if (beta != 0.0f) result = V::fma(beta_vec, V::load(c_vec, mask), result);
      if (bias != nullptr) result = V::add(result, V::load(bias + v * V::kLanes, mask));
      V::store(c_vec, mask, result);
    }
  }
}

using MicroTile = void (*)(int64_t, const float*, int64_t, const float*, int64_t, unsigned, float*, int64_t, float,
                           float, const float*);

// Every micro-tile shape, indexed [rows − 1][vectors − 1].
template <typename V, int Vectors, bool ATransposed, int... Index>
constexpr std::array<MicroTile, sizeof...(Index)> tiles_for(std::integer_sequence<int, Index...>) {
  return {&micro_tile<V, Index / Vectors + 1, Index % Vectors + 1, ATransposed>...};
}
template <typename V, int Vectors, bool ATransposed>
constexpr auto kTiles = tiles_for<V, Vectors, ATransposed>(std::make_integer_sequence<int, kTileRows * Vectors>{});

// A column panel of C: its first column, width, and the micro-tile family that computes it.
struct Panel {
  int64_t begin, width;
  bool narrow;
  int vectors;
  unsigned last_mask;
};

// Cuts columns [begin, end) into panels: 48 wide while possible; a right edge of
// r ≤ 8 columns goes to one narrow vector, wider edges to masked wide vectors.
template <typename Visit>
void for_each_panel(int64_t begin, int64_t end, Visit&& visit) {
  int64_t j = begin;
  while (j < end) {
    const int64_t left = end - j;
    const int64_t full = left / Wide::kLanes;
    const int64_t rest = left % Wide::kLanes;
    Panel panel{};
    if (full >= kTileVectors) {
      panel = {j, kTileCols, false, kTileVectors, 0xFFFFu};
    } else if (rest > Narrow::kLanes) {
      panel = {j, left, false, static_cast<int>(full + 1), (1u << rest) - 1u};
    } else if (full > 0) {
      panel = {j, full * Wide::kLanes, false, static_cast<int>(full), 0xFFFFu};
    } else {
      panel = {j, rest, true, 1, (1u << rest) - 1u};
    }
    visit(panel);
    j += panel.width;
  }
}

MicroTile tile_for(const Panel& panel, bool a_transposed, int64_t rows) {
  const auto r = static_cast<size_t>(rows - 1);
  if (panel.narrow) return a_transposed ? kTiles<Narrow, 1, true>[r] : kTiles<Narrow, 1, false>[r];
  const auto index = r * kTileVectors + static_cast<size_t>(panel.vectors - 1);
  return a_transposed ? kTiles<Wide, kTileVectors, true>[index] : kTiles<Wide, kTileVectors, false>[index];
}

// The buffer that holds op(B) when B comes transposed. One per calling thread;
// it grows to the largest product seen and is then reused, so training
// allocates only in its first step.
class PackBuffer {
 public:
  float* get(int64_t floats) {
    if (floats > capacity_) {
      data_.reset(
          static_cast<float*>(::operator new[](static_cast<size_t>(floats) * sizeof(float), std::align_val_t{64})));
      capacity_ = floats;
    }
    return data_.get();
  }

 private:
  struct Free {
    void operator()(float* p) const { ::operator delete[](p, std::align_val_t{64}); }
  };
  std::unique_ptr<float[], Free> data_;
  int64_t capacity_ = 0;
};

struct Range {
  int64_t begin, end;
};

// Part `part` of `parts` of [0, size), cut at multiples of `unit`.
Range share(int64_t size, int64_t unit, int part, int parts) {
  const int64_t units = (size + unit - 1) / unit;
  const auto cut = [&](int q) { return std::min(size, units * q / parts * unit); };
  return {cut(part), cut(part + 1)};
}

}  // namespace

bool small_sgemm_available() { return true; }

bool small_sgemm_suits(int64_t m, int64_t n, int64_t k) { return m * k + k * n + m * n <= kMaxFloats; }

void small_sgemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a, int64_t lda,
                 const float* b, int64_t ldb, float beta, float* c, int64_t ldc, const float* bias) {
  if (m <= 0 || n <= 0) return;
  const int64_t depth_blocks = std::max<int64_t>(1, (k + kDepthBlock - 1) / kDepthBlock);
  const int64_t depth_step = (k + depth_blocks - 1) / depth_blocks;

  // op(B) must be read by rows; a transposed B is copied once into that layout.
  const int64_t packed_ld = (n + Wide::kLanes - 1) / Wide::kLanes * Wide::kLanes;
  thread_local PackBuffer pack_buffer;
  float* packed = trans_b ? pack_buffer.get(k * packed_ld) : nullptr;
  const float* b_rows = trans_b ? packed : b;
  const int64_t b_ld = trans_b ? packed_ld : ldb;

  // Threads take disjoint parts of C: slices of rows when C is tall, of columns when wide.
  const bool split_rows = m >= n;
  const auto pack = [&](int part, int parts) {
    const Range slab = share(k, 8, part, parts);
    transpose_columns(b, ldb, n, slab.begin, slab.end, packed, packed_ld);
  };
  const auto compute = [&](int part, int parts) {
    const Range rows = split_rows ? share(m, 4, part, parts) : Range{0, m};
    const Range cols = split_rows ? Range{0, n} : share(n, Wide::kLanes, part, parts);
    // Depth blocks; k = 0 still takes one (empty) block, which applies beta and the bias.
    for (int64_t p0 = 0; p0 == 0 || p0 < k; p0 += depth_step) {
      const int64_t depth = std::min(depth_step, k - p0);
      const bool first = p0 == 0;
      const float* a_block = trans_a ? a + p0 * lda : a + p0;
      const float* b_block = b_rows + p0 * b_ld;
      for_each_panel(cols.begin, cols.end, [&](const Panel& panel) {
        // Row tiles of nearly equal height: a last tile of 1 or 2 rows would
        // have too few independent sums to keep the FMA units busy.
        const int64_t height = rows.end - rows.begin;
        const int64_t tiles = (height + kTileRows - 1) / kTileRows;
        for (int64_t t = 0; t < tiles; ++t) {
          const int64_t i0 = rows.begin + height * t / tiles;
          const int64_t tile_rows = rows.begin + height * (t + 1) / tiles - i0;
          tile_for(panel, trans_a, tile_rows)(depth, trans_a ? a_block + i0 : a_block + i0 * lda, lda,
                                              b_block + panel.begin, b_ld, panel.last_mask, c + i0 * ldc + panel.begin,
                                              ldc, alpha, first ? beta : 1.0f,
                                              first && bias != nullptr ? bias + panel.begin : nullptr);
        }
      });
      if (depth_step == 0) break;
    }
  };

  // Small products run on the calling thread (run_parallel also keeps to it inside
  // someone else's parallel region, e.g. a convolution over the batch).
  run_parallel(m * n * k < kParallelWork ? 1 : num_threads(), [&](int part, int parts) {
    if (trans_b) {
      pack(part, parts);
      if (parts > 1) {
        // Every thread reads all of op(B).
#pragma omp barrier
      }
    }
    compute(part, parts);
  });
}

#else  // no AVX-512: gemm() uses OpenBLAS for every product

bool small_sgemm_available() { return false; }
bool small_sgemm_suits(int64_t, int64_t, int64_t) { return false; }
void small_sgemm(bool, bool, int64_t, int64_t, int64_t, float, const float*, int64_t, const float*, int64_t, float,
                 float*, int64_t, const float*) {}

#endif

}  // namespace nnlab::detail
