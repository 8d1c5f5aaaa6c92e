#include "nnlab/layers/tanh.h"

#include <cmath>

#include "nnlab/kernels/threads.h"

namespace nnlab {

template <typename T>
const Tensor<T>& Tanh<T>::forward(const Tensor<T>& x) {
  this->match(this->output_, x);
  const T* in = x.data();
  T* y = this->output_.data();
  parallel_for(x.size(), [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) y[i] = std::tanh(in[i]);
  });
  return this->output_;
}

template <typename T>
const Tensor<T>& Tanh<T>::backward(const Tensor<T>& dy) {
  this->check_backward(dy);
  this->match(this->input_grad_, dy);
  const T* y = this->output_.data();
  const T* g = dy.data();
  T* dx = this->input_grad_.data();
  parallel_for(dy.size(), [&](int64_t begin, int64_t end) {
#pragma omp simd
    for (int64_t i = begin; i < end; ++i) dx[i] = g[i] * (T(1) - y[i] * y[i]);
  });
  return this->input_grad_;
}

template class Tanh<float>;
template class Tanh<double>;

}  // namespace nnlab
