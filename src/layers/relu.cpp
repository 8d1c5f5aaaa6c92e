#include "nnlab/layers/relu.h"

#include <utility>

#include "nnlab/kernels/threads.h"

namespace nnlab {

template <typename T>
const Tensor<T>& ReLU<T>::forward(const Tensor<T>& x) {
  passes_gradient_on_ = std::exchange(masked_before_, false);
  if (std::exchange(input_rectified_, false)) {
    rectified_input_ = &x;
    return x;
  }
  rectified_input_ = nullptr;
  this->match(this->output_, x);
  const T* in = x.data();
  T* y = this->output_.data();
  parallel_for(x.size(), [&](int64_t begin, int64_t end) {
#pragma omp simd
    for (int64_t i = begin; i < end; ++i) y[i] = rectify(in[i]);
  });
  return this->output_;
}

template <typename T>
const Tensor<T>& ReLU<T>::backward(const Tensor<T>& dy) {
  const Tensor<T>& output = rectified_input_ != nullptr ? *rectified_input_ : this->output_;
  this->check_backward(dy, output.shape());
  if (gradient_masked_by_next_ || passes_gradient_on_) return dy;
  this->match(this->input_grad_, dy);
  const T* y = output.data();  // y > 0 exactly where x > 0
  const T* g = dy.data();
  T* dx = this->input_grad_.data();
  // g[i] is read whatever the sign, so that the choice is a vector blend, not a branch
  // that mispredicts on half of the (random-signed) inputs: 10 µs instead of 1 µs here.
  parallel_for(dy.size(), [&](int64_t begin, int64_t end) {
#pragma omp simd
    for (int64_t i = begin; i < end; ++i) {
      const T upstream = g[i];
      dx[i] = y[i] > T(0) ? upstream : T(0);
    }
  });
  return this->input_grad_;
}

template class ReLU<float>;
template class ReLU<double>;

}  // namespace nnlab
