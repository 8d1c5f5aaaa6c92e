// small_sgemm's micro-tiles for AVX-512 (KernelIsa::avx512).

#include <immintrin.h>

#include <array>
#include <cstdint>
#include <utility>

#include "isa_target.h"
#include "small_sgemm.h"

NNLAB_BEGIN_AVX512
namespace nnlab::detail::avx512 {
namespace {

// Two register widths. Full 16-float vectors do most of the work; an 8-float (AVX-512VL)
// vector takes a right edge of up to 8 columns, which a masked 16-float vector would compute
// at twice the cost (n = 100 = 6·16 + 4).
struct Wide {
  using Reg = __m512;
  using Mask = __mmask16;
  static constexpr int kLanes = 16;
  static Mask mask(unsigned bits) { return static_cast<Mask>(bits); }
  static Reg zero() { return _mm512_setzero_ps(); }
  static Reg broadcast(float x) { return _mm512_set1_ps(x); }
  static Reg load(const float* p) { return _mm512_loadu_ps(p); }
  static Reg load(const float* p, Mask m) { return _mm512_maskz_loadu_ps(m, p); }
  static void store(float* p, Reg v) { _mm512_storeu_ps(p, v); }
  static void store(float* p, Mask m, Reg v) { _mm512_mask_storeu_ps(p, m, v); }
  static Reg fma(Reg a, Reg b, Reg c) { return _mm512_fmadd_ps(a, b, c); }
  static Reg mul(Reg a, Reg b) { return _mm512_mul_ps(a, b); }
  static Reg add(Reg a, Reg b) { return _mm512_add_ps(a, b); }
};
struct Narrow {
  using Reg = __m256;
  using Mask = __mmask8;
  static constexpr int kLanes = 8;
  static Mask mask(unsigned bits) { return static_cast<Mask>(bits); }
  static Reg zero() { return _mm256_setzero_ps(); }
  static Reg broadcast(float x) { return _mm256_set1_ps(x); }
  static Reg load(const float* p) { return _mm256_loadu_ps(p); }
  static Reg load(const float* p, Mask m) { return _mm256_maskz_loadu_ps(m, p); }
  static void store(float* p, Reg v) { _mm256_storeu_ps(p, v); }
  static void store(float* p, Mask m, Reg v) { _mm256_mask_storeu_ps(p, m, v); }
  static Reg fma(Reg a, Reg b, Reg c) { return _mm256_fmadd_ps(a, b, c); }
  static Reg mul(Reg a, Reg b) { return _mm256_mul_ps(a, b); }
  static Reg add(Reg a, Reg b) { return _mm256_add_ps(a, b); }
};

// The micro-tile: up to 8 rows × 3 wide vectors (48 columns) of C held in 24 of the 32
// registers while the product runs along the depth. Each step along the depth loads 3 vectors
// of op(B), broadcasts 8 values of op(A) and does 24 fused multiply-adds: enough independent
// sums to hide the FMA latency, few enough loads per FMA to stay within the load ports.
constexpr int kTileRows = 8;
constexpr int kTileVectors = 3;

#include "small_sgemm_tile.inc"

}  // namespace
}  // namespace nnlab::detail::avx512
NNLAB_END_TARGET

namespace nnlab::detail {
const MicroTiles& avx512_micro_tiles() { return avx512::kMicroTiles; }
}  // namespace nnlab::detail
