#include "nnlab/layers/flatten.h"

#include <algorithm>
#include <stdexcept>

namespace nnlab {

// Tensors own their storage, so the reshape is one contiguous copy into the
// layer's own buffer.
template <typename T>
const Tensor<T>& Flatten<T>::forward(const Tensor<T>& x) {
  input_shape_ = x.shape();
  output_.resize(Shape{x.rows(), x.row_size()});
  std::copy(x.begin(), x.end(), output_.begin());
  return output_;
}

template <typename T>
const Tensor<T>& Flatten<T>::backward(const Tensor<T>& dy) {
  if (dy.shape() != output_.shape()) {
    throw std::invalid_argument("Flatten backward expects gradient " + output_.shape().str() + ", got " +
                                dy.shape().str());
  }
  if (!this->needs_input_grad()) return input_grad_;
  input_grad_.resize(input_shape_);
  std::copy(dy.begin(), dy.end(), input_grad_.begin());
  return input_grad_;
}

template class Flatten<float>;
template class Flatten<double>;

}  // namespace nnlab
