#include "nnlab/kernels/single_channel_conv.h"

#include <immintrin.h>

#include <algorithm>
#include <cstring>

#include "isa_target.h"
#include "nnlab/kernels/isa.h"

namespace nnlab {

namespace {

// Floats in a vector of the kernel variant kernel_isa() chose: the flat layout is cut into them.
int64_t vector_lanes() { return kernel_isa() == KernelIsa::avx512 ? 16 : 8; }

// The flat layout of one image: padded rows S apart, outputs computed for q < vectors·lanes.
struct Flat {
  int64_t lanes = 0;
  int64_t row = 0;      // S = W + 2p
  int64_t vectors = 0;  // ⌈OH·S / lanes⌉
  int64_t padded = 0;   // floats of the padded image, with zeros past it for the last vector's taps
  int64_t taps = 0;
  int64_t flat_size() const { return vectors * lanes; }
};

Flat flat_layout(const ConvGeometry& g) {
  Flat f;
  f.lanes = vector_lanes();
  f.row = g.width + 2 * g.padding;
  f.vectors = (g.out_height() * f.row + f.lanes - 1) / f.lanes;
  f.padded = f.flat_size() + (g.kernel_h - 1) * f.row + g.kernel_w;
  f.taps = g.kernel_h * g.kernel_w;
  return f;
}

// The image with its padding's zeros, rows f.row apart.
void pad_image(const ConvGeometry& g, const Flat& f, const float* image, float* padded) {
  std::fill(padded, padded + f.padded, 0.0f);
  for (int64_t r = 0; r < g.height; ++r) {
    std::memcpy(padded + (r + g.padding) * f.row + g.padding, image + r * g.width,
                static_cast<size_t>(g.width) * sizeof(float));
  }
}

}  // namespace

NNLAB_BEGIN_AVX2
namespace avx2 {
namespace {

struct V {
  using Reg = __m256;
  static constexpr int kLanes = 8;
  static Reg zero() { return _mm256_setzero_ps(); }
  static Reg broadcast(const float* p) { return _mm256_broadcast_ss(p); }
  static Reg load(const float* p) { return _mm256_loadu_ps(p); }
  static void store(float* p, Reg v) { _mm256_storeu_ps(p, v); }
  static Reg fma(Reg a, Reg b, Reg c) { return _mm256_fmadd_ps(a, b, c); }
  static Reg add(Reg a, Reg b) { return _mm256_add_ps(a, b); }
  static float sum(Reg v) {
    const __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    const __m128 h = _mm_add_ps(s, _mm_movehl_ps(s, s));
    return _mm_cvtss_f32(_mm_add_ss(h, _mm_shuffle_ps(h, h, 1)));
  }
};
// 16 registers: forward 4 channels × 3 vectors (12 sums, 3 inputs, 1 weight); dW 4 channels × 3
// taps or 2 × 5 (12 or 10 sums).
constexpr int kForwardChannels = 4;
constexpr int kForwardVectors = 3;
constexpr int kWeightChannels3 = 4;
constexpr int kWeightChannels5 = 2;
constexpr int kWeightChannels4 = 3;

#include "single_channel_conv_tiles.inc"

}  // namespace
}  // namespace avx2
NNLAB_END_TARGET

NNLAB_BEGIN_AVX512
namespace avx512 {
namespace {

struct V {
  using Reg = __m512;
  static constexpr int kLanes = 16;
  static Reg zero() { return _mm512_setzero_ps(); }
  static Reg broadcast(const float* p) { return _mm512_set1_ps(*p); }
  static Reg load(const float* p) { return _mm512_loadu_ps(p); }
  static void store(float* p, Reg v) { _mm512_storeu_ps(p, v); }
  static Reg fma(Reg a, Reg b, Reg c) { return _mm512_fmadd_ps(a, b, c); }
  static Reg add(Reg a, Reg b) { return _mm512_add_ps(a, b); }
  // The two halves through memory, then as in AVX2 (the AVX-512 shuffles and _mm512_reduce_add_ps
  // make GCC 12 warn in its own headers); once per weight and image.
  static float sum(Reg v) {
    alignas(64) float lanes[16];
    _mm512_store_ps(lanes, v);
    const __m256 half = _mm256_add_ps(_mm256_load_ps(lanes), _mm256_load_ps(lanes + 8));
    const __m128 s = _mm_add_ps(_mm256_castps256_ps128(half), _mm256_extractf128_ps(half, 1));
    const __m128 h = _mm_add_ps(s, _mm_movehl_ps(s, s));
    return _mm_cvtss_f32(_mm_add_ss(h, _mm_shuffle_ps(h, h, 1)));
  }
};
// 32 registers: forward 4 channels × 4 vectors (16 sums, 4 inputs, 1 weight); dW 8 channels × 3
// taps or 3 × 5 (24 or 15 sums: 30 channels are 10 tiles of 3).
constexpr int kForwardChannels = 4;
constexpr int kForwardVectors = 4;
constexpr int kWeightChannels3 = 8;
constexpr int kWeightChannels5 = 3;
constexpr int kWeightChannels4 = 4;

#include "single_channel_conv_tiles.inc"

}  // namespace
}  // namespace avx512
NNLAB_END_TARGET

namespace {
// Each tap's shift in the flat layout: kh·S + kw. Kernels of up to 15×15 (225 taps) here, larger ones
// on im2col.
constexpr int64_t kMaxTaps = 225;

void tap_offsets(const ConvGeometry& g, const Flat& f, int64_t* offsets) {
  for (int64_t kh = 0; kh < g.kernel_h; ++kh) {
    for (int64_t kw = 0; kw < g.kernel_w; ++kw) offsets[kh * g.kernel_w + kw] = kh * f.row + kw;
  }
}
}  // namespace

bool single_channel_conv_available(const ConvGeometry& g) {
  return kernel_isa() != KernelIsa::generic && g.channels == 1 && g.stride == 1 &&
         g.kernel_h * g.kernel_w <= kMaxTaps && g.fits();
}

int64_t single_channel_conv_scratch(const ConvGeometry& g, int64_t out_channels) {
  const Flat f = flat_layout(g);
  return f.padded + out_channels * f.flat_size();
}

void single_channel_conv_forward(const ConvGeometry& g, int64_t out_channels, const float* image, const float* w,
                                 const float* b, float* y, float* scratch) {
  const Flat f = flat_layout(g);
  int64_t offsets[kMaxTaps];
  tap_offsets(g, f, offsets);
  float* padded = scratch;
  float* yflat = scratch + f.padded;
  pad_image(g, f, image, padded);
  if (f.lanes == 16) {
    avx512::forward(offsets, f.taps, padded, w, out_channels, f.vectors, yflat);
  } else {
    avx2::forward(offsets, f.taps, padded, w, out_channels, f.vectors, yflat);
  }
  const int64_t oh = g.out_height(), ow = g.out_width(), flat_size = f.flat_size();
  for (int64_t k = 0; k < out_channels; ++k) {
    const float bias = b != nullptr ? b[k] : 0.0f;
    for (int64_t r = 0; r < oh; ++r) {
      const float* in = yflat + k * flat_size + r * f.row;
      float* out = y + (k * oh + r) * ow;
      for (int64_t c = 0; c < ow; ++c) out[c] = in[c] + bias;
    }
  }
}

void single_channel_conv_weight_grad(const ConvGeometry& g, int64_t out_channels, const float* image, const float* dy,
                                     float* dw, float* db, float* scratch) {
  const Flat f = flat_layout(g);
  int64_t offsets[kMaxTaps];
  tap_offsets(g, f, offsets);
  float* padded = scratch;
  float* dyflat = scratch + f.padded;
  pad_image(g, f, image, padded);
  const int64_t oh = g.out_height(), ow = g.out_width(), flat_size = f.flat_size();
  for (int64_t k = 0; k < out_channels; ++k) {
    float* out = dyflat + k * flat_size;
    std::fill(out, out + flat_size, 0.0f);
    for (int64_t r = 0; r < oh; ++r) {
      std::memcpy(out + r * f.row, dy + (k * oh + r) * ow, static_cast<size_t>(ow) * sizeof(float));
    }
  }
  if (f.lanes == 16) {
    avx512::weight_grad(offsets, f.taps, g.kernel_w, padded, dyflat, out_channels, f.vectors, dw, db);
  } else {
    avx2::weight_grad(offsets, f.taps, g.kernel_w, padded, dyflat, out_channels, f.vectors, dw, db);
  }
}

}  // namespace nnlab
