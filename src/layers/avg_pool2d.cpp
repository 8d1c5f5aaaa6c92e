#include "nnlab/layers/avg_pool2d.h"

#include <algorithm>

#include "nnlab/kernels/threads.h"

namespace nnlab {

template <typename T>
AvgPool2d<T>::AvgPool2d(int64_t kernel, int64_t stride, int64_t padding)
    : Pool2d<T>("AvgPool2d", kernel, stride, padding) {}

namespace {

// The sum of window (oh, ow) clipped to rows [h0, h1) and columns [w0, w1): the padding adds zeros.
template <typename T>
inline T window_sum(const T* plane, int32_t width, int32_t h0, int32_t h1, int32_t w0, int32_t w1) {
  T sum = T(0);
  for (int32_t ih = h0; ih < h1; ++ih) {
    for (int32_t iw = w0; iw < w1; ++iw) sum += plane[ih * width + iw];
  }
  return sum;
}

// One plane of the forward pass. As in MaxPool2d: with K and S known at compile time, the windows
// wholly inside the image are summed a vector of neighbouring windows at a time; K = S = 0: any size.
template <typename T, int K, int S>
void avg_pool_plane(const T* in, T* y, const PoolPlane z, T scale) {
  const int32_t in_w = z.in_w, out_w = z.out_w, p = z.padding;
  const int32_t inner_begin = z.inner_begin(), inner_end = z.inner_end();
  for (int32_t oh = 0; oh < z.out_h; ++oh, y += out_w) {
    const int32_t h0 = z.h0(oh), h1 = z.h1(oh);
    const auto clipped = [&](int32_t ow) { y[ow] = window_sum(in, in_w, h0, h1, z.w0(ow), z.w1(ow)) * scale; };
    int32_t ow = 0;
    if (K > 0 && h1 - h0 == K) {
      for (; ow < inner_begin; ++ow) clipped(ow);
      const T* top = in + h0 * in_w;
#pragma omp simd simdlen(8)
      for (int32_t o = inner_begin; o < inner_end; ++o) {
        T sum = T(0);
        for (int32_t i = 0; i < K; ++i) {
          for (int32_t j = 0; j < K; ++j) sum += top[i * in_w + o * S - p + j];
        }
        y[o] = sum * scale;
      }
      ow = std::max(inner_begin, inner_end);
    }
    for (; ow < out_w; ++ow) clipped(ow);
  }
}

// One plane of the backward pass: each output's share dy/K² added to the pixels of its window.
// Windows side by side (S ≥ K) never share a pixel, so neighbouring windows can go in one vector;
// overlapping ones (S < K) must add one after the other, as must windows clipped by the padding.
template <typename T, int K, int S>
void avg_pool_plane_backward(const T* g, T* dx, const PoolPlane z, T scale) {
  const int32_t in_w = z.in_w, out_w = z.out_w, p = z.padding;
  const int32_t inner_begin = z.inner_begin(), inner_end = z.inner_end();
  std::fill(dx, dx + z.in_h * in_w, T(0));
  for (int32_t oh = 0; oh < z.out_h; ++oh, g += out_w) {
    const int32_t h0 = z.h0(oh), h1 = z.h1(oh);
    const auto clipped = [&](int32_t ow) {
      const T share = g[ow] * scale;
      for (int32_t ih = h0; ih < h1; ++ih) {
        for (int32_t iw = z.w0(ow); iw < z.w1(ow); ++iw) dx[ih * in_w + iw] += share;
      }
    };
    int32_t ow = 0;
    if (K > 0 && S >= K && h1 - h0 == K) {
      for (; ow < inner_begin; ++ow) clipped(ow);
      T* top = dx + h0 * in_w;
#pragma omp simd simdlen(8)
      for (int32_t o = inner_begin; o < inner_end; ++o) {
        const T share = g[o] * scale;
        for (int32_t i = 0; i < K; ++i) {
          for (int32_t j = 0; j < K; ++j) top[i * in_w + o * S - p + j] += share;
        }
      }
      ow = std::max(inner_begin, inner_end);
    }
    for (; ow < out_w; ++ow) clipped(ow);
  }
}

}  // namespace

template <typename T>
const Tensor<T>& AvgPool2d<T>::forward(const Tensor<T>& x) {
  geometry_ = this->batch_geometry(x);
  const ConvGeometry& g = geometry_;
  const PoolPlane z = this->plane_sizes(g);
  auto pool_plane = avg_pool_plane<T, 0, 0>;
  if (z.kernel == 2 && z.stride == 2) pool_plane = avg_pool_plane<T, 2, 2>;
  if (z.kernel == 3 && z.stride == 2) pool_plane = avg_pool_plane<T, 3, 2>;
  if (z.kernel == 3 && z.stride == 3) pool_plane = avg_pool_plane<T, 3, 3>;
  if (z.kernel == 3 && z.stride == 1) pool_plane = avg_pool_plane<T, 3, 1>;
  // count_include_pad: every window is divided by K², however much of it is padding.
  const T scale = T(1) / static_cast<T>(g.kernel_h * g.kernel_h);
  output_.resize(Shape{x.rows(), g.channels, z.out_h, z.out_w});
  const int64_t planes = x.rows() * g.channels, plane_in = g.height * g.width, plane_out = g.col_cols();
  const T* in_data = x.data();
  T* out_data = output_.data();

  for_each_plane(planes, x.size(), [&](int64_t plane) {
    pool_plane(in_data + plane * plane_in, out_data + plane * plane_out, z, scale);
  });
  return output_;
}

template <typename T>
const Tensor<T>& AvgPool2d<T>::backward(const Tensor<T>& dy) {
  if (dy.shape() != output_.shape()) {
    throw std::invalid_argument("AvgPool2d backward expects gradient " + output_.shape().str() + ", got " +
                                dy.shape().str());
  }
  if (!this->needs_input_grad()) return input_grad_;
  const ConvGeometry& g = geometry_;
  const PoolPlane z = this->plane_sizes(g);
  auto plane_backward = avg_pool_plane_backward<T, 0, 0>;
  if (z.kernel == 2 && z.stride == 2) plane_backward = avg_pool_plane_backward<T, 2, 2>;
  if (z.kernel == 3 && z.stride == 3) plane_backward = avg_pool_plane_backward<T, 3, 3>;
  const T scale = T(1) / static_cast<T>(g.kernel_h * g.kernel_h);
  input_grad_.resize(Shape{dy.rows(), g.channels, g.height, g.width});
  const int64_t planes = dy.rows() * g.channels, plane_in = g.height * g.width, plane_out = g.col_cols();
  const T* g_data = dy.data();
  T* dx_data = input_grad_.data();

  for_each_plane(planes, input_grad_.size(), [&](int64_t plane) {
    plane_backward(g_data + plane * plane_out, dx_data + plane * plane_in, z, scale);
  });
  return input_grad_;
}

template class AvgPool2d<float>;
template class AvgPool2d<double>;

}  // namespace nnlab
