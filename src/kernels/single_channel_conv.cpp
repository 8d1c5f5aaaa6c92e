#include "nnlab/kernels/single_channel_conv.h"

#include <immintrin.h>

#include <algorithm>
#include <cstring>

#include "isa_target.h"
#include "nnlab/kernels/isa.h"

namespace nnlab {

namespace {

constexpr int64_t kLanes = 8;  // floats in an AVX2 vector

// The flat layout of one image: padded rows S apart, outputs computed for q < vectors·8.
struct Flat {
  int64_t row = 0;      // S = W + 2p
  int64_t vectors = 0;  // ⌈OH·S / 8⌉
  int64_t padded = 0;   // floats of the padded image, with zeros past it for the last vector's taps
  int64_t taps = 0;
};

Flat flat_layout(const ConvGeometry& g) {
  Flat f;
  f.row = g.width + 2 * g.padding;
  f.vectors = (g.out_height() * f.row + kLanes - 1) / kLanes;
  f.padded = f.vectors * kLanes + (g.kernel_h - 1) * f.row + g.kernel_w;
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

// R output channels × J vectors of 8 outputs: yflat[k + r][q + 8j] over every tap.
template <int R, int J>
void forward_tile(const float* padded, const int64_t* offsets, int64_t taps, const float* w, int64_t q, float* yflat,
                  int64_t flat_size) {
  __m256 acc[R][J];
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r) {
#pragma GCC unroll 8
    for (int j = 0; j < J; ++j) acc[r][j] = _mm256_setzero_ps();
  }
  for (int64_t t = 0; t < taps; ++t) {
    const float* p = padded + q + offsets[t];
    __m256 x[J];
#pragma GCC unroll 8
    for (int j = 0; j < J; ++j) x[j] = _mm256_loadu_ps(p + kLanes * j);
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r) {
      const __m256 wv = _mm256_broadcast_ss(w + r * taps + t);
#pragma GCC unroll 8
      for (int j = 0; j < J; ++j) acc[r][j] = _mm256_fmadd_ps(wv, x[j], acc[r][j]);
    }
  }
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r) {
#pragma GCC unroll 8
    for (int j = 0; j < J; ++j) _mm256_storeu_ps(yflat + r * flat_size + q + kLanes * j, acc[r][j]);
  }
}

template <int R>
void forward_channels(const float* padded, const int64_t* offsets, int64_t taps, const float* w, int64_t vectors,
                      float* yflat, int64_t flat_size) {
  constexpr int J = 3;
  int64_t v = 0;
  for (; v + J <= vectors; v += J) forward_tile<R, J>(padded, offsets, taps, w, v * kLanes, yflat, flat_size);
  for (; v < vectors; ++v) forward_tile<R, 1>(padded, offsets, taps, w, v * kLanes, yflat, flat_size);
}

float horizontal_sum(__m256 v) {
  const __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  const __m128 h = _mm_add_ps(s, _mm_movehl_ps(s, s));
  return _mm_cvtss_f32(_mm_add_ss(h, _mm_shuffle_ps(h, h, 1)));
}

// dw[k + r][t0 + i] += Σ_q dyflat[k + r][q] · padded[q + offsets[t0 + i]], for R channels × T taps.
template <int R, int T>
void weight_tile(const float* padded, const int64_t* offsets, const float* dyflat, int64_t flat_size, int64_t vectors,
                 float* dw, int64_t taps) {
  __m256 acc[R][T];
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r) {
#pragma GCC unroll 8
    for (int i = 0; i < T; ++i) acc[r][i] = _mm256_setzero_ps();
  }
  for (int64_t v = 0; v < vectors; ++v) {
    const int64_t q = v * kLanes;
    __m256 x[T];
#pragma GCC unroll 8
    for (int i = 0; i < T; ++i) x[i] = _mm256_loadu_ps(padded + q + offsets[i]);
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r) {
      const __m256 d = _mm256_loadu_ps(dyflat + r * flat_size + q);
#pragma GCC unroll 8
      for (int i = 0; i < T; ++i) acc[r][i] = _mm256_fmadd_ps(d, x[i], acc[r][i]);
    }
  }
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r) {
#pragma GCC unroll 8
    for (int i = 0; i < T; ++i) dw[r * taps + i] += horizontal_sum(acc[r][i]);
  }
}

template <int R>
void weight_channels(const float* padded, const int64_t* offsets, int64_t taps, int64_t kernel_w, const float* dyflat,
                     int64_t flat_size, int64_t vectors, float* dw) {
  // A kernel row's taps at a time (3 or 5: 12 or 10 accumulators with R = 4 or 2), else 4.
  int64_t t = 0;
  if (kernel_w == 3) {
    for (; t + 3 <= taps; t += 3) weight_tile<R, 3>(padded, offsets + t, dyflat, flat_size, vectors, dw + t, taps);
  } else if (kernel_w == 5) {
    for (; t + 5 <= taps; t += 5) weight_tile<R, 5>(padded, offsets + t, dyflat, flat_size, vectors, dw + t, taps);
  }
  for (; t + 4 <= taps; t += 4) weight_tile<R, 4>(padded, offsets + t, dyflat, flat_size, vectors, dw + t, taps);
  for (; t < taps; ++t) weight_tile<R, 1>(padded, offsets + t, dyflat, flat_size, vectors, dw + t, taps);
}

void forward(const int64_t* offsets, int64_t taps, const float* padded, const float* w, int64_t out_channels,
             int64_t vectors, float* yflat) {
  const int64_t flat_size = vectors * kLanes;
  int64_t k = 0;
  for (; k + 4 <= out_channels; k += 4) {
    forward_channels<4>(padded, offsets, taps, w + k * taps, vectors, yflat + k * flat_size, flat_size);
  }
  for (; k < out_channels; ++k) {
    forward_channels<1>(padded, offsets, taps, w + k * taps, vectors, yflat + k * flat_size, flat_size);
  }
}

// Σ of the n·8 floats at p, in 8 lanes (a float sum one element at a time waits 4 cycles per add).
float sum(const float* p, int64_t vectors) {
  __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
  for (int64_t v = 0; v < vectors; ++v) acc[v % 4] = _mm256_add_ps(acc[v % 4], _mm256_loadu_ps(p + v * kLanes));
  return horizontal_sum(_mm256_add_ps(_mm256_add_ps(acc[0], acc[1]), _mm256_add_ps(acc[2], acc[3])));
}

void weight_grad(const int64_t* offsets, int64_t taps, int64_t kernel_w, const float* padded, const float* dyflat,
                 int64_t out_channels, int64_t vectors, float* dw, float* db) {
  const int64_t flat_size = vectors * kLanes;
  if (db != nullptr) {
    for (int64_t k = 0; k < out_channels; ++k) db[k] += sum(dyflat + k * flat_size, vectors);
  }
  const int64_t block = kernel_w == 5 ? 2 : kernel_w == 3 ? 4 : 3;
  int64_t k = 0;
  for (; k + block <= out_channels; k += block) {
    const float* d = dyflat + k * flat_size;
    if (block == 2) weight_channels<2>(padded, offsets, taps, kernel_w, d, flat_size, vectors, dw + k * taps);
    if (block == 3) weight_channels<3>(padded, offsets, taps, kernel_w, d, flat_size, vectors, dw + k * taps);
    if (block == 4) weight_channels<4>(padded, offsets, taps, kernel_w, d, flat_size, vectors, dw + k * taps);
  }
  for (; k < out_channels; ++k) {
    weight_channels<1>(padded, offsets, taps, kernel_w, dyflat + k * flat_size, flat_size, vectors, dw + k * taps);
  }
}

}  // namespace
}  // namespace avx2
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
  return f.padded + out_channels * f.vectors * kLanes;
}

void single_channel_conv_forward(const ConvGeometry& g, int64_t out_channels, const float* image, const float* w,
                                 const float* b, float* y, float* scratch) {
  const Flat f = flat_layout(g);
  int64_t offsets[kMaxTaps];
  tap_offsets(g, f, offsets);
  float* padded = scratch;
  float* yflat = scratch + f.padded;
  pad_image(g, f, image, padded);
  avx2::forward(offsets, f.taps, padded, w, out_channels, f.vectors, yflat);
  const int64_t oh = g.out_height(), ow = g.out_width(), flat_size = f.vectors * kLanes;
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
  const int64_t oh = g.out_height(), ow = g.out_width(), flat_size = f.vectors * kLanes;
  for (int64_t k = 0; k < out_channels; ++k) {
    float* out = dyflat + k * flat_size;
    std::fill(out, out + flat_size, 0.0f);
    for (int64_t r = 0; r < oh; ++r) {
      std::memcpy(out + r * f.row, dy + (k * oh + r) * ow, static_cast<size_t>(ow) * sizeof(float));
    }
  }
  avx2::weight_grad(offsets, f.taps, g.kernel_w, padded, dyflat, out_channels, f.vectors, dw, db);
}

}  // namespace nnlab
