#include "nnlab/layers/relu.h"

#include "nnlab/kernels/threads.h"

namespace nnlab {

template <typename T>
const Tensor<T>& ReLU<T>::forward(const Tensor<T>& x) {
  this->match(this->output_, x);
  const T* in = x.data();
  T* y = this->output_.data();
  const int64_t n = x.size();
#pragma omp parallel for simd if (n > kParallelThreshold)
  for (int64_t i = 0; i < n; ++i) y[i] = in[i] > T(0) ? in[i] : T(0);
  return this->output_;
}

template <typename T>
const Tensor<T>& ReLU<T>::backward(const Tensor<T>& dy) {
  this->check_backward(dy);
  this->match(this->input_grad_, dy);
  const T* y = this->output_.data();  // y > 0 exactly where x > 0
  const T* g = dy.data();
  T* dx = this->input_grad_.data();
  const int64_t n = dy.size();
#pragma omp parallel for simd if (n > kParallelThreshold)
  for (int64_t i = 0; i < n; ++i) dx[i] = y[i] > T(0) ? g[i] : T(0);
  return this->input_grad_;
}

template class ReLU<float>;
template class ReLU<double>;

}  // namespace nnlab
