#include "nnlab/losses/huber.h"

#include <cmath>
#include <stdexcept>

#include "nnlab/io/number_text.h"

namespace nnlab {

template <typename T>
Huber<T>::Huber(double delta) : delta_(delta) {
  if (!(delta > 0) || !std::isfinite(delta)) {
    throw std::invalid_argument("huber: delta must be a positive number, got " + round_trip_number(delta));
  }
}

template <typename T>
std::string Huber<T>::spec() const {
  return delta_ == 1.0 ? "huber" : "huber:" + round_trip_number(delta_);
}

template <typename T>
T Huber<T>::forward(const Tensor<T>& output, const Tensor<T>& target) {
  check_loss_shapes("huber", output, target);
  if (difference_.shape() != output.shape()) difference_.resize(output.shape());
  double total = 0;
  for (int64_t i = 0; i < output.size(); ++i) {
    difference_[i] = output[i] - target[i];
    const double d = std::abs(static_cast<double>(difference_[i]));
    total += d < delta_ ? 0.5 * d * d : delta_ * (d - 0.5 * delta_);
  }
  return static_cast<T>(total / static_cast<double>(output.size()));
}

template <typename T>
const Tensor<T>& Huber<T>::backward(T upstream) {
  if (input_grad_.shape() != difference_.shape()) input_grad_.resize(difference_.shape());
  const T scale = upstream / static_cast<T>(difference_.size());
  const T delta = static_cast<T>(delta_);
  for (int64_t i = 0; i < difference_.size(); ++i) {
    const T d = difference_[i];
    const T slope = d >= delta ? delta : d <= -delta ? -delta : d;
    input_grad_[i] = scale * slope;
  }
  return input_grad_;
}

template class Huber<float>;
template class Huber<double>;

}  // namespace nnlab
