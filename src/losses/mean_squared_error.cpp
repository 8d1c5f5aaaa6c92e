#include "nnlab/losses/mean_squared_error.h"

#include <stdexcept>

namespace nnlab {

template <typename T>
T MeanSquaredError<T>::forward(const Tensor<T>& output, const Tensor<T>& target) {
  check_loss_shapes("mse", output, target);
  if (difference_.shape() != output.shape()) difference_.resize(output.shape());
  double total = 0;
  for (int64_t i = 0; i < output.size(); ++i) {
    difference_[i] = output[i] - target[i];
    total += static_cast<double>(difference_[i]) * difference_[i];
  }
  return static_cast<T>(total / static_cast<double>(output.size()));
}

template <typename T>
const Tensor<T>& MeanSquaredError<T>::backward(T upstream) {
  if (input_grad_.shape() != difference_.shape()) input_grad_.resize(difference_.shape());
  const T scale = T(2) * upstream / static_cast<T>(difference_.size());
  for (int64_t i = 0; i < difference_.size(); ++i) input_grad_[i] = scale * difference_[i];
  return input_grad_;
}

template class MeanSquaredError<float>;
template class MeanSquaredError<double>;

}  // namespace nnlab
