#include "nnlab/layers/global_avg_pool.h"

#include <algorithm>
#include <stdexcept>

#include "nnlab/layers/pool2d.h"

namespace nnlab {

template <typename T>
Shape GlobalAvgPool<T>::output_shape(const Shape& input_sample) const {
  if (input_sample.rank() != 3) {
    throw std::invalid_argument("GlobalAvgPool expects image samples CxHxW, got " + input_sample.str());
  }
  return Shape{input_sample[0]};
}

template <typename T>
const Tensor<T>& GlobalAvgPool<T>::forward(const Tensor<T>& x) {
  if (x.rank() != 4) throw std::invalid_argument("GlobalAvgPool expects input NxCxHxW, got " + x.shape().str());
  input_shape_ = x.shape();
  const int64_t planes = x.dim(0) * x.dim(1), area = x.dim(2) * x.dim(3);
  output_.resize(Shape{x.dim(0), x.dim(1)});
  const T scale = T(1) / static_cast<T>(area);
  const T* in = x.data();
  T* y = output_.data();
  input_block_ = x.channel_block();
  if (input_block_ > 0) {
    // Blocks of B channels: a group's pixels are B channels side by side, summed B at a time.
    const int64_t block = input_block_;
    for_each_plane(planes / block, x.size(), [&](int64_t group) {
      const T* values = in + group * area * block;
      T* out = y + group * block;
      std::fill(out, out + block, T(0));
      for (int64_t i = 0; i < area; ++i) {
#pragma omp simd
        for (int64_t lane = 0; lane < block; ++lane) out[lane] += values[i * block + lane];
      }
      for (int64_t lane = 0; lane < block; ++lane) out[lane] *= scale;
    });
    return output_;
  }
  for_each_plane(planes, x.size(), [&](int64_t plane) {
    const T* values = in + plane * area;
    T sum = T(0);
#pragma omp simd reduction(+ : sum)
    for (int64_t i = 0; i < area; ++i) sum += values[i];
    y[plane] = sum * scale;
  });
  return output_;
}

template <typename T>
const Tensor<T>& GlobalAvgPool<T>::backward(const Tensor<T>& dy) {
  if (dy.shape() != output_.shape()) {
    throw std::invalid_argument("GlobalAvgPool backward expects gradient " + output_.shape().str() + ", got " +
                                dy.shape().str());
  }
  if (!this->needs_input_grad()) return input_grad_;
  input_grad_.resize(input_shape_);
  const int64_t planes = dy.size(), area = input_shape_[2] * input_shape_[3];
  const T scale = T(1) / static_cast<T>(area);
  const T* g = dy.data();
  T* dx = input_grad_.data();
  input_grad_.set_channel_block(input_block_);
  if (input_block_ > 0) {
    const int64_t block = input_block_;
    for_each_plane(planes / block, input_grad_.size(), [&](int64_t group) {
      T* out = dx + group * area * block;
      const T* grads = g + group * block;
      for (int64_t i = 0; i < area; ++i) {
#pragma omp simd
        for (int64_t lane = 0; lane < block; ++lane) out[i * block + lane] = grads[lane] * scale;
      }
    });
    return input_grad_;
  }
  for_each_plane(planes, input_grad_.size(),
                 [&](int64_t plane) { std::fill(dx + plane * area, dx + (plane + 1) * area, g[plane] * scale); });
  return input_grad_;
}

template class GlobalAvgPool<float>;
template class GlobalAvgPool<double>;

}  // namespace nnlab
