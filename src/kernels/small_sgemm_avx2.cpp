// small_sgemm's micro-tiles for AVX2 + FMA (KernelIsa::avx2): 16 registers of 8 floats, and
// masked loads and stores that take their mask in a vector register.

#include <immintrin.h>

#include <array>
#include <cstdint>
#include <utility>

#include "isa_target.h"
#include "small_sgemm.h"

NNLAB_BEGIN_AVX2
namespace nnlab::detail::avx2 {
namespace {

// Lane i of the result is all ones where bit i of `bits` is set.
__m256i lanes_of(unsigned bits) {
  const __m256i bit = _mm256_setr_epi32(1, 2, 4, 8, 16, 32, 64, 128);
  return _mm256_cmpeq_epi32(_mm256_and_si256(_mm256_set1_epi32(static_cast<int>(bits)), bit), bit);
}

// Full 8-float vectors do most of the work; a 4-float vector takes a right edge of up to 4
// columns (n = 100 = 6·16 + 4).
struct Wide {
  using Reg = __m256;
  using Mask = __m256i;
  static constexpr int kLanes = 8;
  static Mask mask(unsigned bits) { return lanes_of(bits); }
  static Reg zero() { return _mm256_setzero_ps(); }
  static Reg broadcast(float x) { return _mm256_set1_ps(x); }
  static Reg load(const float* p) { return _mm256_loadu_ps(p); }
  static Reg load(const float* p, Mask m) { return _mm256_maskload_ps(p, m); }
  static void store(float* p, Reg v) { _mm256_storeu_ps(p, v); }
  static void store(float* p, Mask m, Reg v) { _mm256_maskstore_ps(p, m, v); }
  static Reg fma(Reg a, Reg b, Reg c) { return _mm256_fmadd_ps(a, b, c); }
  static Reg mul(Reg a, Reg b) { return _mm256_mul_ps(a, b); }
  static Reg add(Reg a, Reg b) { return _mm256_add_ps(a, b); }
};
struct Narrow {
  using Reg = __m128;
  using Mask = __m128i;
  static constexpr int kLanes = 4;
  static Mask mask(unsigned bits) { return _mm256_castsi256_si128(lanes_of(bits)); }
  static Reg zero() { return _mm_setzero_ps(); }
  static Reg broadcast(float x) { return _mm_set1_ps(x); }
  static Reg load(const float* p) { return _mm_loadu_ps(p); }
  static Reg load(const float* p, Mask m) { return _mm_maskload_ps(p, m); }
  static void store(float* p, Reg v) { _mm_storeu_ps(p, v); }
  static void store(float* p, Mask m, Reg v) { _mm_maskstore_ps(p, m, v); }
  static Reg fma(Reg a, Reg b, Reg c) { return _mm_fmadd_ps(a, b, c); }
  static Reg mul(Reg a, Reg b) { return _mm_mul_ps(a, b); }
  static Reg add(Reg a, Reg b) { return _mm_add_ps(a, b); }
};

// The micro-tile: up to 6 rows × 2 vectors (16 columns) of C in 12 of the 16 registers, 2
// for the row of op(B) and 1 for the broadcast value of op(A): 12 independent multiply-adds
// per step along the depth, 8 loads.
constexpr int kTileRows = 6;
constexpr int kTileVectors = 2;

#include "small_sgemm_tile.inc"

}  // namespace
}  // namespace nnlab::detail::avx2
NNLAB_END_TARGET

namespace nnlab::detail {
const MicroTiles& avx2_micro_tiles() { return avx2::kMicroTiles; }
}  // namespace nnlab::detail
