#include "nnlab/layers/sigmoid.h"

#include <cmath>

#include "nnlab/kernels/threads.h"

namespace nnlab {

template <typename T>
const Tensor<T>& Sigmoid<T>::forward(const Tensor<T>& x) {
  this->match(this->output_, x);
  const T* in = x.data();
  T* y = this->output_.data();
  parallel_for(x.size(), [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      // Two forms so that exp never overflows.
      if (in[i] >= T(0)) {
        y[i] = T(1) / (T(1) + std::exp(-in[i]));
      } else {
        const T e = std::exp(in[i]);
        y[i] = e / (T(1) + e);
      }
    }
  });
  return this->output_;
}

template <typename T>
const Tensor<T>& Sigmoid<T>::backward(const Tensor<T>& dy) {
  this->check_backward(dy);
  this->match(this->input_grad_, dy);
  const T* y = this->output_.data();
  const T* g = dy.data();
  T* dx = this->input_grad_.data();
  parallel_for(dy.size(), [&](int64_t begin, int64_t end) {
#pragma omp simd
    for (int64_t i = begin; i < end; ++i) dx[i] = g[i] * y[i] * (T(1) - y[i]);
  });
  return this->input_grad_;
}

template class Sigmoid<float>;
template class Sigmoid<double>;

}  // namespace nnlab
