#include "nnlab/optim/adagrad.h"

#include <cmath>
#include <limits>

#include "checks.h"

namespace nnlab {

template <typename T>
AdaGrad<T>::AdaGrad(std::vector<Parameter<T>> parameters, double lr, double lr_decay, double eps, WeightDecay decay)
    : Optimizer<T>(std::move(parameters), lr, decay), lr_decay_(lr_decay), eps_(eps) {
  detail::require_in_range("AdaGrad", "lr_decay", lr_decay, 0.0, std::numeric_limits<double>::infinity());
  detail::require_positive("AdaGrad", "eps", eps);
  sum_of_squares_.reserve(this->parameters_.size());
  for (const auto& p : this->parameters_) sum_of_squares_.emplace_back(p.value->shape());
  this->register_state("sum", sum_of_squares_);
}

template <typename T>
void AdaGrad<T>::update(size_t index, Tensor<T>& value, const Tensor<T>& grad) {
  // The step about to be taken is number steps_ + 1.
  const double decayed_lr = this->lr_ / (1.0 + static_cast<double>(this->steps_) * lr_decay_);
  const auto minus_lr = static_cast<T>(-decayed_lr);
  const auto eps = static_cast<T>(eps_);
  T* w = value.data();
  const T* g = grad.data();
  T* s = sum_of_squares_[index].data();
  const int64_t n = value.size();
#pragma omp simd
  for (int64_t j = 0; j < n; ++j) {
    s[j] += g[j] * g[j];
    w[j] += minus_lr * g[j] / (std::sqrt(s[j]) + eps);
  }
}

template class AdaGrad<float>;
template class AdaGrad<double>;

}  // namespace nnlab
