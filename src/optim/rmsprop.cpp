#include "nnlab/optim/rmsprop.h"

#include <cmath>

#include "checks.h"

namespace nnlab {

template <typename T>
RMSProp<T>::RMSProp(std::vector<Parameter<T>> parameters, double lr, double alpha, double eps, WeightDecay decay)
    : Optimizer<T>(std::move(parameters), lr, decay), alpha_(alpha), eps_(eps) {
  detail::require_in_range("RMSProp", "alpha", alpha, 0.0, 1.0, true);
  detail::require_positive("RMSProp", "eps", eps);
  mean_square_.reserve(this->parameters_.size());
  for (const auto& p : this->parameters_) mean_square_.emplace_back(p.value->shape());
  this->register_state("square_avg", mean_square_);
}

template <typename T>
void RMSProp<T>::update(size_t index, Tensor<T>& value, const Tensor<T>& grad) {
  const auto minus_lr = static_cast<T>(-this->lr_);
  const auto alpha = static_cast<T>(alpha_);
  const auto one_minus_alpha = static_cast<T>(1.0 - alpha_);
  const auto eps = static_cast<T>(eps_);
  T* w = value.data();
  const T* g = grad.data();
  T* s = mean_square_[index].data();
  const int64_t n = value.size();
#pragma omp simd
  for (int64_t j = 0; j < n; ++j) {
    s[j] = alpha * s[j] + one_minus_alpha * g[j] * g[j];
    w[j] += minus_lr * g[j] / (std::sqrt(s[j]) + eps);
  }
}

template class RMSProp<float>;
template class RMSProp<double>;

}  // namespace nnlab
