#include "nnlab/layers/max_pool2d.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "nnlab/kernels/threads.h"

namespace nnlab {

template <typename T>
MaxPool2d<T>::MaxPool2d(int64_t kernel, int64_t stride, int64_t padding)
    : Pool2d<T>("MaxPool2d", kernel, stride, padding) {}

namespace {

// Window (oh, ow) clipped to rows [h0, h1) and columns [w0, w1) of the plane: its largest pixel and
// that pixel's index. Pixels are visited in row-major order and the first maximum wins; a NaN wins
// over any number (v != v: NaN), as in PyTorch. The −∞ padding is left out, so it never wins.
// Written without branches: on real data the comparison is unpredictable.
template <typename T>
inline void window_max(const T* plane, int32_t width, int32_t h0, int32_t h1, int32_t w0, int32_t w1, T& max,
                       int32_t& argmax) {
  T best = -std::numeric_limits<T>::infinity();
  int32_t where = h0 * width + w0;  // PyTorch's index for a window of −∞
  for (int32_t ih = h0; ih < h1; ++ih) {
    for (int32_t iw = w0; iw < w1; ++iw) {
      const T v = plane[ih * width + iw];
      const bool take = (v > best) | (v != v);
      best = take ? v : best;
      where = take ? ih * width + iw : where;
    }
  }
  max = best;
  argmax = where;
}

// One plane. With the kernel K and stride S known at compile time (K, S > 0), the windows that lie
// wholly inside the image are computed a vector of neighbouring windows at a time: the loops over
// the window unroll, and the compiler vectorises across the row. K = S = 0: any size, one window at a time.
template <typename T, int K, int S>
void max_pool_plane(const T* in, T* y, int32_t* arg, const PoolPlane z) {
  // Locals, not members of z: stores through y and arg could otherwise alias them for the compiler.
  const int32_t in_w = z.in_w, out_w = z.out_w, p = z.padding;
  const int32_t inner_begin = z.inner_begin(), inner_end = z.inner_end();
  for (int32_t oh = 0; oh < z.out_h; ++oh, y += out_w, arg += out_w) {
    const int32_t h0 = z.h0(oh), h1 = z.h1(oh);
    const auto clipped = [&](int32_t ow) { window_max(in, in_w, h0, h1, z.w0(ow), z.w1(ow), y[ow], arg[ow]); };
    int32_t ow = 0;
    if (K > 0 && h1 - h0 == K) {
      for (; ow < inner_begin; ++ow) clipped(ow);
      const T* top = in + h0 * in_w;
#pragma omp simd simdlen(8)
      for (int32_t o = inner_begin; o < inner_end; ++o) {
        const int32_t w0 = o * S - p;
        T best = -std::numeric_limits<T>::infinity();
        int32_t where = w0;  // relative to the window's top row
        for (int32_t i = 0; i < K; ++i) {
          for (int32_t j = 0; j < K; ++j) {
            const T v = top[i * in_w + w0 + j];
            const bool take = (v > best) | (v != v);
            best = take ? v : best;
            where = take ? i * in_w + w0 + j : where;
          }
        }
        y[o] = best;
        arg[o] = h0 * in_w + where;
      }
      ow = std::max(inner_begin, inner_end);
    }
    for (; ow < out_w; ++ow) clipped(ow);
  }
}

// value where chosen, else 0, by a bit mask: with ?: GCC branched on every pixel, and the chosen
// pixel of a window is random (3× slower than the fill and add).
template <typename T>
inline T keep_if(T value, bool chosen) {
  using Bits = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
  return std::bit_cast<T>(std::bit_cast<Bits>(value) & (Bits(0) - Bits(chosen)));
}

// The gradient of one plane of 2×2 windows of stride 2 without padding, each input pixel in at
// most one window: every pixel is written once, 0 + dy at the window's chosen one (as the general
// loop's sum would give), 0 at the other three and in a last row or column no window covers.
// Filling the plane with zeros and then adding at the chosen pixels wrote it twice: SimpleConvNet's
// max pool backward (100×30×24×24) took 1.0 ms that way on Zen 5.
template <typename T>
void max_unpool_2x2_plane(const T* g, const T* y, const int32_t* arg, bool from_relu, const PoolPlane z, T* dx) {
  const int32_t in_w = z.in_w, out_w = z.out_w;
  for (int32_t oh = 0; oh < z.out_h; ++oh, g += out_w, y += out_w, arg += out_w) {
    T* top = dx + 2 * oh * in_w;
    T* bottom = top + in_w;
    const int32_t base = 2 * oh * in_w;
    for (int32_t ow = 0; ow < out_w; ++ow) {
      const int32_t at = arg[ow] - (base + 2 * ow);  // 0, 1, W or W + 1
      const T v = T(0) + keep_if(g[ow], !from_relu || y[ow] > T(0));
      top[2 * ow] = keep_if(v, at == 0);
      top[2 * ow + 1] = keep_if(v, at == 1);
      bottom[2 * ow] = keep_if(v, at == in_w);
      bottom[2 * ow + 1] = keep_if(v, at == in_w + 1);
    }
    std::fill(top + 2 * out_w, top + in_w, T(0));
    std::fill(bottom + 2 * out_w, bottom + in_w, T(0));
  }
  std::fill(dx + 2 * z.out_h * in_w, dx + z.in_h * in_w, T(0));
}

// 2×2 windows of stride 2 over a group of B channels in channel blocks (Tensor::channel_block):
// each pixel holds B channels side by side, so a window's four pixels are four runs of B values and
// the loop over the B channels vectorises. The same choice as max_pool_plane, lane by lane.
template <typename T, int64_t B>
void max_pool_2x2_group(const T* in, T* y, int32_t* arg, const PoolPlane z) {
  const int32_t in_w = z.in_w;
  for (int32_t oh = 0; oh < z.out_h; ++oh) {
    for (int32_t ow = 0; ow < z.out_w; ++ow, y += B, arg += B) {
      const int32_t first = 2 * oh * in_w + 2 * ow;
      const int32_t pixels[4] = {first, first + 1, first + in_w, first + in_w + 1};
#pragma omp simd
      for (int64_t l = 0; l < B; ++l) {
        T best = -std::numeric_limits<T>::infinity();
        int32_t where = first;
        for (const int32_t p : pixels) {
          const T v = in[p * B + l];
          const bool take = (v > best) | (v != v);
          best = take ? v : best;
          where = take ? p : where;
        }
        y[l] = best;
        arg[l] = where;
      }
    }
  }
}

// Its gradient: every pixel of the group written once (max_unpool_2x2_plane, lane by lane).
template <typename T, int64_t B>
void max_unpool_2x2_group(const T* g, const T* y, const int32_t* arg, bool from_relu, const PoolPlane z, T* dx) {
  const int32_t in_w = z.in_w;
  if (z.in_h % 2 != 0 || in_w % 2 != 0) std::fill(dx, dx + int64_t(z.in_h) * in_w * B, T(0));  // rows no window covers
  for (int32_t oh = 0; oh < z.out_h; ++oh) {
    for (int32_t ow = 0; ow < z.out_w; ++ow, g += B, y += B, arg += B) {
      const int32_t first = 2 * oh * in_w + 2 * ow;
      T* top = dx + int64_t(first) * B;
      T* bottom = top + int64_t(in_w) * B;
#pragma omp simd
      for (int64_t l = 0; l < B; ++l) {
        const int32_t at = arg[l] - first;  // 0, 1, W or W + 1
        const T v = T(0) + keep_if(g[l], !from_relu || y[l] > T(0));
        top[l] = keep_if(v, at == 0);
        top[B + l] = keep_if(v, at == 1);
        bottom[l] = keep_if(v, at == in_w);
        bottom[B + l] = keep_if(v, at == in_w + 1);
      }
    }
  }
}

}  // namespace

template <typename T>
bool MaxPool2d<T>::takes_channel_blocks() const {
  return this->kernel() == 2 && this->stride() == 2 && this->padding() == 0;
}

template <typename T>
const Tensor<T>& MaxPool2d<T>::forward(const Tensor<T>& x) {
  if (x.channel_block() > 0) return forward_blocks(x);
  const ConvGeometry g = this->batch_geometry(x);
  const PoolPlane z = this->plane_sizes(g);
  // The usual windows get a vectorised kernel; the others the general one.
  auto pool_plane = max_pool_plane<T, 0, 0>;
  if (z.kernel == 2 && z.stride == 2) pool_plane = max_pool_plane<T, 2, 2>;
  if (z.kernel == 3 && z.stride == 2) pool_plane = max_pool_plane<T, 3, 2>;
  if (z.kernel == 3 && z.stride == 3) pool_plane = max_pool_plane<T, 3, 3>;
  if (z.kernel == 3 && z.stride == 1) pool_plane = max_pool_plane<T, 3, 1>;
  input_shape_ = x.shape();
  output_.resize(Shape{x.rows(), g.channels, z.out_h, z.out_w});
  output_.set_channel_block(0);
  argmax_.resize(static_cast<size_t>(output_.size()));
  const int64_t planes = x.rows() * g.channels, plane_in = g.height * g.width, plane_out = g.col_cols();
  const T* in_data = x.data();
  T* out_data = output_.data();
  int32_t* arg_data = argmax_.data();

  for_each_plane(planes, x.size(), [&](int64_t plane) {
    pool_plane(in_data + plane * plane_in, out_data + plane * plane_out, arg_data + plane * plane_out, z);
  });
  return output_;
}

template <typename T>
const Tensor<T>& MaxPool2d<T>::forward_blocks(const Tensor<T>& x) {
  const int64_t block = x.channel_block();
  if (!takes_channel_blocks() || (block != 8 && block != 16)) {
    throw std::logic_error("MaxPool2d takes channel blocks of 8 or 16 for 2x2 windows of stride 2 only");
  }
  const ConvGeometry g = this->batch_geometry(x);
  const PoolPlane z = this->plane_sizes(g);
  input_shape_ = x.shape();
  output_.resize(Shape{x.rows(), g.channels, z.out_h, z.out_w});
  output_.set_channel_block(block);
  argmax_.resize(static_cast<size_t>(output_.size()));
  const int64_t groups = x.rows() * g.channels / block;
  const int64_t group_in = g.height * g.width * block, group_out = g.col_cols() * block;
  const T* in = x.data();
  T* y = output_.data();
  int32_t* arg = argmax_.data();
  const auto pool_group = block == 16 ? max_pool_2x2_group<T, 16> : max_pool_2x2_group<T, 8>;
  for_each_plane(groups, x.size(), [&](int64_t group) {
    pool_group(in + group * group_in, y + group * group_out, arg + group * group_out, z);
  });
  return output_;
}

template <typename T>
const Tensor<T>& MaxPool2d<T>::backward(const Tensor<T>& dy) {
  if (dy.shape() != output_.shape()) {
    throw std::invalid_argument("MaxPool2d backward expects gradient " + output_.shape().str() + ", got " +
                                dy.shape().str());
  }
  if (dy.channel_block() != output_.channel_block()) {
    throw std::logic_error("MaxPool2d backward expects its gradient in the layout of its output (channel block " +
                           std::to_string(output_.channel_block()) + "), got channel block " +
                           std::to_string(dy.channel_block()));
  }
  if (!this->needs_input_grad()) return input_grad_;
  input_grad_.resize(input_shape_);
  input_grad_.set_channel_block(output_.channel_block());
  if (output_.channel_block() > 0) {
    const int64_t block = output_.channel_block();
    const PoolPlane z = this->plane_sizes(this->geometry(input_shape_.sample_shape()));
    const int64_t groups = input_shape_[0] * input_shape_[1] / block;
    const int64_t group_in = input_shape_[2] * input_shape_[3] * block, group_out = int64_t(z.out_h) * z.out_w * block;
    const T* g = dy.data();
    const T* y = output_.data();
    const int32_t* arg = argmax_.data();
    T* dx = input_grad_.data();
    const bool from_relu = input_from_relu_;
    const auto unpool_group = block == 16 ? max_unpool_2x2_group<T, 16> : max_unpool_2x2_group<T, 8>;
    for_each_plane(groups, input_grad_.size(), [&](int64_t group) {
      unpool_group(g + group * group_out, y + group * group_out, arg + group * group_out, from_relu, z,
                   dx + group * group_in);
    });
    return input_grad_;
  }
  const int64_t plane_in = input_shape_[2] * input_shape_[3];
  const int64_t plane_out = output_.dim(2) * output_.dim(3);
  const int64_t planes = output_.dim(0) * output_.dim(1);
  const T* g = dy.data();
  const T* y = output_.data();
  const int32_t* arg_data = argmax_.data();
  T* dx_data = input_grad_.data();
  const bool from_relu = input_from_relu_;
  const PoolPlane z = this->plane_sizes(this->geometry(input_shape_.sample_shape()));
  if (z.kernel == 2 && z.stride == 2 && z.padding == 0) {
    for_each_plane(planes, input_grad_.size(), [&](int64_t plane) {
      max_unpool_2x2_plane(g + plane * plane_out, y + plane * plane_out, arg_data + plane * plane_out, from_relu, z,
                           dx_data + plane * plane_in);
    });
    return input_grad_;
  }

  for_each_plane(planes, input_grad_.size(), [&](int64_t plane) {
    T* dx = dx_data + plane * plane_in;
    std::fill(dx, dx + plane_in, T(0));
    const T* g_plane = g + plane * plane_out;
    const T* y_plane = y + plane * plane_out;
    const int32_t* arg = arg_data + plane * plane_out;
    // Overlapping windows (stride < K) may choose the same pixel: their gradients add up.
    if (from_relu) {
      for (int64_t o = 0; o < plane_out; ++o) dx[arg[o]] += y_plane[o] > T(0) ? g_plane[o] : T(0);
    } else {
      for (int64_t o = 0; o < plane_out; ++o) dx[arg[o]] += g_plane[o];
    }
  });
  return input_grad_;
}

template class MaxPool2d<float>;
template class MaxPool2d<double>;

}  // namespace nnlab
