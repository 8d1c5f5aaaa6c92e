#include "nnlab/layers/step.h"

#include <stdexcept>

namespace nnlab {

template <typename T>
const Tensor<T>& Step<T>::forward(const Tensor<T>& x) {
  this->match(this->output_, x);
  const T* in = x.data();
  T* y = this->output_.data();
  for (int64_t i = 0; i < x.size(); ++i) y[i] = in[i] > T(0) ? T(1) : T(0);
  return this->output_;
}

template <typename T>
const Tensor<T>& Step<T>::backward(const Tensor<T>& /*dy*/) {
  throw std::logic_error(
      "cannot train through a Step activation: its gradient is zero almost everywhere, so backpropagation "
      "learns nothing; use sigmoid, tanh or relu for training (Step is for forward use only)");
}

template class Step<float>;
template class Step<double>;

}  // namespace nnlab
