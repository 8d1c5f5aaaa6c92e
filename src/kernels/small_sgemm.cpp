#include "small_sgemm.h"

#include <omp.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <new>

#include "nnlab/kernels/isa.h"
#include "nnlab/kernels/threads.h"
#include "nnlab/kernels/transpose.h"

namespace nnlab::detail {

namespace {

// The depth is cut into blocks so that the slice of op(B) that a column panel's
// row tiles share (256 × 48 floats, 48 KiB, with AVX-512) stays close to L1 while they reuse it.
// On the MLP's products, blocks from 128 to 784 deep measured within 3%.
constexpr int64_t kDepthBlock = 256;
// Products below this many multiply-adds run on one thread: a parallel region costs about a
// microsecond, and its barrier waits for the slower half. At 2^20 the MLP step (128×100 layers,
// 1.3 M each) ran slower on 2 threads than on 1 (435-453 µs against 415-424, AMX Xeon); at 2^22
// 411-416 against 420, and its Adam step 564-624 -> 575-579 µs (bench/README.md).
constexpr int64_t kParallelWork = int64_t{1} << 22;
// Everything (op(A), op(B), C) must fit in about one core's L2 cache, or else each depth block must:
// every column panel reads the block of op(A) again (at most kMaxBlockFloats), and a product
// deeper than one block reads and writes C once per block (then at most kMaxBlockFloats too).
// The second rule takes the products of a wide Linear layer, e.g. SimpleConvNet's 4320 → 100 at
// batch 100, which OpenBLAS ran 1.3-1.5× slower (and at the speed of whatever core it took the
// CPU for: bench/README.md).
constexpr int64_t kMaxFloats = int64_t{1} << 18;
constexpr int64_t kMaxBlockFloats = int64_t{1} << 17;
// Rows are taken kRowBlock at a time, so that a tall op(A) (inference batches of 1,000) keeps its
// blocks that size: a 256 × 256 block of op(A) is 256 KiB.
constexpr int64_t kRowBlock = 256;

// A column panel of C: its first column, width, and the micro-tile family that computes it.
struct Panel {
  int64_t begin, width;
  bool narrow;
  int vectors;
  unsigned last_mask;
};

// Cuts columns [begin, end) into panels: tile_vectors wide vectors while possible; a right edge
// of r ≤ narrow_lanes columns goes to one narrow vector, wider edges to masked wide vectors.
template <typename Visit>
void for_each_panel(const MicroTiles& tiles, int64_t begin, int64_t end, Visit&& visit) {
  const int64_t lanes = tiles.lanes;
  const unsigned full_mask = (1u << lanes) - 1u;
  int64_t j = begin;
  while (j < end) {
    const int64_t left = end - j;
    const int64_t full = left / lanes;
    const int64_t rest = left % lanes;
    Panel panel{};
    if (full >= tiles.tile_vectors) {
      panel = {j, tiles.tile_vectors * lanes, false, tiles.tile_vectors, full_mask};
    } else if (rest > tiles.narrow_lanes) {
      panel = {j, left, false, static_cast<int>(full + 1), (1u << rest) - 1u};
    } else if (full > 0) {
      panel = {j, full * lanes, false, static_cast<int>(full), full_mask};
    } else {
      panel = {j, rest, true, 1, (1u << rest) - 1u};
    }
    visit(panel);
    j += panel.width;
  }
}

MicroTile tile_for(const MicroTiles& tiles, const Panel& panel, bool a_transposed, int64_t rows) {
  const auto r = static_cast<size_t>(rows - 1);
  if (panel.narrow) return tiles.narrow[a_transposed][r];
  return tiles.wide[a_transposed][r * static_cast<size_t>(tiles.tile_vectors) + static_cast<size_t>(panel.vectors - 1)];
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

// The micro-tiles of the variant kernel_isa() chose, or nullptr for the generic kernels.
const MicroTiles* micro_tiles() {
  switch (kernel_isa()) {
    case KernelIsa::avx512:
      return &avx512_micro_tiles();
    case KernelIsa::avx2:
      return &avx2_micro_tiles();
    default:
      return nullptr;
  }
}

}  // namespace

bool small_sgemm_available() { return micro_tiles() != nullptr; }

bool small_sgemm_suits(int64_t m, int64_t n, int64_t k, bool trans_b) {
  if (trans_b && m <= 4) return false;
  if (m * k + k * n + m * n <= kMaxFloats) return true;
  // op(B), read again for every block of rows, stays within about twice an L2 cache.
  const int64_t rows = std::min(m, kRowBlock);
  return rows * std::min(k, kDepthBlock) <= kMaxBlockFloats && (k <= kDepthBlock || rows * n <= kMaxBlockFloats) &&
         k * n <= 2 * kMaxFloats;
}

void small_sgemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a, int64_t lda,
                 const float* b, int64_t ldb, float beta, float* c, int64_t ldc, const float* bias) {
  if (m <= 0 || n <= 0) return;
  const MicroTiles& tiles = *micro_tiles();
  const int64_t lanes = tiles.lanes;
  const int64_t depth_blocks = std::max<int64_t>(1, (k + kDepthBlock - 1) / kDepthBlock);
  const int64_t depth_step = (k + depth_blocks - 1) / depth_blocks;

  // op(B) must be read by rows; a transposed B is copied once into that layout.
  const int64_t packed_ld = (n + lanes - 1) / lanes * lanes;
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
  const auto compute_rows = [&](const Range rows, const Range cols) {
    // Depth blocks; k = 0 still takes one (empty) block, which applies beta and the bias.
    for (int64_t p0 = 0; p0 == 0 || p0 < k; p0 += depth_step) {
      const int64_t depth = std::min(depth_step, k - p0);
      const bool first = p0 == 0;
      const float* a_block = trans_a ? a + p0 * lda : a + p0;
      const float* b_block = b_rows + p0 * b_ld;
      for_each_panel(tiles, cols.begin, cols.end, [&](const Panel& panel) {
        // Row tiles of nearly equal height: a last tile of 1 or 2 rows would
        // have too few independent sums to keep the FMA units busy.
        const int64_t height = rows.end - rows.begin;
        const int64_t row_tiles = (height + tiles.tile_rows - 1) / tiles.tile_rows;
        for (int64_t t = 0; t < row_tiles; ++t) {
          const int64_t i0 = rows.begin + height * t / row_tiles;
          const int64_t tile_rows = rows.begin + height * (t + 1) / row_tiles - i0;
          tile_for(tiles, panel, trans_a, tile_rows)(depth, trans_a ? a_block + i0 : a_block + i0 * lda, lda,
                                                     b_block + panel.begin, b_ld, panel.last_mask,
                                                     c + i0 * ldc + panel.begin, ldc, alpha, first ? beta : 1.0f,
                                                     first && bias != nullptr ? bias + panel.begin : nullptr);
        }
      });
      if (depth_step == 0) break;
    }
  };
  const auto compute = [&](int part, int parts) {
    const Range rows = split_rows ? share(m, 4, part, parts) : Range{0, m};
    const Range cols = split_rows ? Range{0, n} : share(n, lanes, part, parts);
    for (int64_t r0 = rows.begin; r0 < rows.end; r0 += kRowBlock) {
      compute_rows(Range{r0, std::min(rows.end, r0 + kRowBlock)}, cols);
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

}  // namespace nnlab::detail
