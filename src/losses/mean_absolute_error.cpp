#include "nnlab/losses/mean_absolute_error.h"

#include <cmath>
#include <stdexcept>

namespace nnlab {

template <typename T>
T MeanAbsoluteError<T>::forward(const Tensor<T>& output, const Tensor<T>& target) {
  check_loss_shapes("mae", output, target);
  if (difference_.shape() != output.shape()) difference_.resize(output.shape());
  double total = 0;
  for (int64_t i = 0; i < output.size(); ++i) {
    difference_[i] = output[i] - target[i];
    total += std::abs(static_cast<double>(difference_[i]));
  }
  return static_cast<T>(total / static_cast<double>(output.size()));
}

template <typename T>
const Tensor<T>& MeanAbsoluteError<T>::backward(T upstream) {
  if (input_grad_.shape() != difference_.shape()) input_grad_.resize(difference_.shape());
  const T scale = upstream / static_cast<T>(difference_.size());
  for (int64_t i = 0; i < difference_.size(); ++i) {
    const T d = difference_[i];
    input_grad_[i] = d > 0 ? scale : d < 0 ? -scale : T(0);
  }
  return input_grad_;
}

template class MeanAbsoluteError<float>;
template class MeanAbsoluteError<double>;

}  // namespace nnlab
