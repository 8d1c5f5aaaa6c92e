#pragma once
// A float matrix product for the small, cache-resident shapes of MLP training
// (e.g. 128×100 · 100×100), where OpenBLAS spends a large share of its time on
// copying both operands into its packed formats and on edge handling.
//
//   C = alpha · op(A) · op(B) + beta · C   (+ bias added to every row of C, if given)
//
// Row-major, the same arguments as cblas_sgemm. Two variants of the micro-kernels, chosen at
// run time (kernels/isa.h): AVX-512 (small_sgemm_avx512.cpp) and AVX2 + FMA
// (small_sgemm_avx2.cpp); with the generic kernels small_sgemm_available() is false and gemm()
// uses OpenBLAS.

#include <cstdint>

namespace nnlab::detail {

// Whether the kernel runs on this CPU (or the variant NNLAB_ISA chose).
bool small_sgemm_available();

// Whether the kernel is the better choice for this shape: all operands fit in
// the L2 caches together. Larger products go to OpenBLAS, which blocks for
// the caches. So do a few rows of A against a transposed B, which the kernel would first copy
// into rows (k·n floats) for them alone: a Linear's forward on one image (x·Wᵀ). SimpleConvNet's
// single-image latency 210 -> 34 µs (its 4320 -> 100 layer: a 1.7 MB copy per call), the MLP's
// 16.8 -> 11.7 µs.
bool small_sgemm_suits(int64_t m, int64_t n, int64_t k, bool trans_b = false);

// bias: nullptr or n values added to every row of C after the product.
void small_sgemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a, int64_t lda,
                 const float* b, int64_t ldb, float beta, float* c, int64_t ldc, const float* bias);

// A micro-tile: a block of up to tile_rows rows of C and a panel of its columns, over a depth
// (small_sgemm_tile.inc).
using MicroTile = void (*)(int64_t depth, const float* a, int64_t lda, const float* b, int64_t ldb, unsigned last_mask,
                           float* c, int64_t ldc, float alpha, float beta, const float* bias);

// One variant's micro-tiles and their sizes.
struct MicroTiles {
  int lanes;         // floats in a wide vector
  int narrow_lanes;  // floats in the narrow vector that takes a right edge of up to that many columns
  int tile_rows;     // the most rows of C a tile holds
  int tile_vectors;  // the most wide vectors across a tile
  // [a transposed][(rows − 1) · tile_vectors + vectors − 1] and [a transposed][rows − 1].
  const MicroTile* wide[2];
  const MicroTile* narrow[2];
};

const MicroTiles& avx512_micro_tiles();
const MicroTiles& avx2_micro_tiles();

}  // namespace nnlab::detail
