#include "nnlab/kernels/single_channel_conv.h"

#include <immintrin.h>

#include <algorithm>

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

// The functions of one kernel variant (single_channel_conv_tiles.inc).
struct Kernels {
  void (*forward)(const int64_t* offsets, int64_t taps, const float* padded, const float* w, int64_t out_channels,
                  int64_t vectors, float* yflat);
  void (*weight_grad)(const int64_t* offsets, int64_t taps, int64_t kernel_w, const float* padded, const float* dyflat,
                      int64_t out_channels, int64_t vectors, float* weight_partial, float* bias_partial);
  void (*reduce_partial_sums)(const float* partial, int64_t count, float* out);
  void (*copy_rows)(const float* src, int64_t src_stride, float* dst, int64_t dst_stride, int64_t rows, int64_t width,
                    float add);
};

}  // namespace

NNLAB_BEGIN_AVX2
namespace avx2 {
namespace {

struct V {
  using Reg = __m256;
  using Mask = __m256i;
  static constexpr int kLanes = 8;
  static Reg zero() { return _mm256_setzero_ps(); }
  static Reg broadcast(const float* p) { return _mm256_broadcast_ss(p); }
  static Reg load(const float* p) { return _mm256_loadu_ps(p); }
  static void store(float* p, Reg v) { _mm256_storeu_ps(p, v); }
  static Mask first(int64_t n) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(n)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  }
  static Reg load(const float* p, Mask m) { return _mm256_maskload_ps(p, m); }
  static void store(float* p, Mask m, Reg v) { _mm256_maskstore_ps(p, m, v); }
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
constexpr Kernels kKernels{&forward, &weight_grad, &reduce_partial_sums, &copy_rows};
}  // namespace avx2
NNLAB_END_TARGET

NNLAB_BEGIN_AVX512
namespace avx512 {
namespace {

struct V {
  using Reg = __m512;
  using Mask = __mmask16;
  static constexpr int kLanes = 16;
  static Reg zero() { return _mm512_setzero_ps(); }
  static Reg broadcast(const float* p) { return _mm512_set1_ps(*p); }
  static Reg load(const float* p) { return _mm512_loadu_ps(p); }
  static void store(float* p, Reg v) { _mm512_storeu_ps(p, v); }
  static Mask first(int64_t n) { return static_cast<Mask>((1u << n) - 1u); }
  static Reg load(const float* p, Mask m) { return _mm512_maskz_loadu_ps(m, p); }
  static void store(float* p, Mask m, Reg v) { _mm512_mask_storeu_ps(p, m, v); }
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
// 32 registers: forward 6 channels × 4 vectors (24 sums, 4 inputs, 1 weight); dW 8 channels × 3
// taps or 5 × 5 (24 or 25 sums). Measured on Zen 5 (SimpleConvNet step): dW tiles of 5 channels
// ran the step 9% faster than tiles of 3, the forward's 6 channels 2% faster than 4.
constexpr int kForwardChannels = 6;
constexpr int kForwardVectors = 4;
constexpr int kWeightChannels3 = 8;
constexpr int kWeightChannels5 = 5;
constexpr int kWeightChannels4 = 4;

#include "single_channel_conv_tiles.inc"

}  // namespace
constexpr Kernels kKernels{&forward, &weight_grad, &reduce_partial_sums, &copy_rows};
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

const Kernels& kernels(const Flat& f) { return f.lanes == 16 ? avx512::kKernels : avx2::kKernels; }

// -0 is the identity of addition (x + 0 would turn -0 into +0): copy_rows with it copies.
constexpr float kCopy = -0.0f;

// The image into the padded buffer, whose padding's zeros the caller wrote.
void pad_image(const Kernels& kernels, const ConvGeometry& g, const Flat& f, const float* image, float* padded) {
  kernels.copy_rows(image, g.width, padded + g.padding * f.row + g.padding, f.row, g.height, g.width, kCopy);
}
}  // namespace

bool single_channel_conv_available(const ConvGeometry& g) {
  return kernel_isa() != KernelIsa::generic && g.channels == 1 && g.stride == 1 &&
         g.kernel_h * g.kernel_w <= kMaxTaps && g.fits();
}

int64_t single_channel_conv_scratch(const ConvGeometry& g, int64_t out_channels) {
  const Flat f = flat_layout(g);
  return f.padded + out_channels * f.flat_size() + out_channels * (f.taps + 1) * f.lanes;
}

void single_channel_conv_forward(const ConvGeometry& g, int64_t out_channels, const float* images, int64_t count,
                                 const float* w, const float* b, float* y, float* scratch) {
  const Flat f = flat_layout(g);
  const Kernels& run = kernels(f);
  int64_t offsets[kMaxTaps];
  tap_offsets(g, f, offsets);
  float* padded = scratch;
  float* yflat = scratch + f.padded;
  std::fill(padded, padded + f.padded, 0.0f);
  const int64_t oh = g.out_height(), ow = g.out_width(), flat_size = f.flat_size();
  for (int64_t i = 0; i < count; ++i) {
    pad_image(run, g, f, images + i * g.height * g.width, padded);
    run.forward(offsets, f.taps, padded, w, out_channels, f.vectors, yflat);
    float* y_i = y + i * out_channels * oh * ow;
    for (int64_t k = 0; k < out_channels; ++k) {
      run.copy_rows(yflat + k * flat_size, f.row, y_i + k * oh * ow, ow, oh, ow, b != nullptr ? b[k] : kCopy);
    }
  }
}

void single_channel_conv_weight_grad(const ConvGeometry& g, int64_t out_channels, const float* images, const float* dys,
                                     int64_t count, float* dw, float* db, float* scratch) {
  const Flat f = flat_layout(g);
  const Kernels& run = kernels(f);
  int64_t offsets[kMaxTaps];
  tap_offsets(g, f, offsets);
  const int64_t oh = g.out_height(), ow = g.out_width(), flat_size = f.flat_size();
  float* padded = scratch;
  float* dyflat = padded + f.padded;
  float* weight_partial = dyflat + out_channels * flat_size;
  float* bias_partial = weight_partial + out_channels * f.taps * f.lanes;
  // Zeros where no image or dy value is copied (the padding, the S − OW columns past each row, the
  // last vector's tail) and in the partial sums.
  std::fill(scratch, scratch + single_channel_conv_scratch(g, out_channels), 0.0f);
  for (int64_t i = 0; i < count; ++i) {
    pad_image(run, g, f, images + i * g.height * g.width, padded);
    const float* dy = dys + i * out_channels * oh * ow;
    for (int64_t k = 0; k < out_channels; ++k) {
      run.copy_rows(dy + k * oh * ow, ow, dyflat + k * flat_size, f.row, oh, ow, kCopy);
    }
    run.weight_grad(offsets, f.taps, g.kernel_w, padded, dyflat, out_channels, f.vectors, weight_partial,
                    db != nullptr ? bias_partial : nullptr);
  }
  run.reduce_partial_sums(weight_partial, out_channels * f.taps, dw);
  if (db != nullptr) run.reduce_partial_sums(bias_partial, out_channels, db);
}

}  // namespace nnlab
