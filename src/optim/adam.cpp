#include "nnlab/optim/adam.h"

#include <cmath>

#include "checks.h"
#include "nnlab/kernels/threads.h"

namespace nnlab {

template <typename T>
Adam<T>::Adam(const std::string& label, std::vector<Parameter<T>> parameters, double lr, double beta1, double beta2,
              double eps, WeightDecay decay)
    : Optimizer<T>(std::move(parameters), lr, decay), beta1_(beta1), beta2_(beta2), eps_(eps) {
  detail::require_in_range(label, "beta1", beta1, 0.0, 1.0);
  detail::require_in_range(label, "beta2", beta2, 0.0, 1.0);
  detail::require_positive(label, "eps", eps);
  first_moment_.reserve(this->parameters_.size());
  second_moment_.reserve(this->parameters_.size());
  for (const auto& p : this->parameters_) {
    first_moment_.emplace_back(p.value->shape());
    second_moment_.emplace_back(p.value->shape());
  }
  this->register_state("exp_avg", first_moment_);
  this->register_state("exp_avg_sq", second_moment_);
}

template <typename T>
void Adam<T>::update(size_t index, Tensor<T>& value, const Tensor<T>& grad) {
  // steps_ counts finished steps; this one is t = steps_ + 1. The scalars are
  // computed in double, as PyTorch does in Python, then used in T.
  const auto t = static_cast<double>(this->steps_ + 1);
  const double bias_correction1 = 1.0 - std::pow(beta1_, t);
  const double bias_correction2 = 1.0 - std::pow(beta2_, t);
  const auto minus_step_size = static_cast<T>(-(this->lr_ / bias_correction1));
  const auto bias_correction2_sqrt = static_cast<T>(std::sqrt(bias_correction2));
  const auto beta1 = static_cast<T>(beta1_);
  const auto beta2 = static_cast<T>(beta2_);
  const auto one_minus_beta1 = static_cast<T>(1.0 - beta1_);
  const auto one_minus_beta2 = static_cast<T>(1.0 - beta2_);
  const auto eps = static_cast<T>(eps_);
  T* w = value.data();
  const T* g = grad.data();
  T* m = first_moment_[index].data();
  T* v = second_moment_[index].data();
  // Element by element, so any split between the threads gives the same values. The lambda
  // captures by value: with references GCC reloads them after every store (batchnorm.cpp).
  parallel_for(value.size(), [=](int64_t begin, int64_t end) {
#pragma omp simd
    for (int64_t j = begin; j < end; ++j) {
      m[j] = beta1 * m[j] + one_minus_beta1 * g[j];
      v[j] = beta2 * v[j] + one_minus_beta2 * g[j] * g[j];
      const T denom = std::sqrt(v[j]) / bias_correction2_sqrt + eps;
      w[j] += minus_step_size * m[j] / denom;
    }
  });
}

template class Adam<float>;
template class Adam<double>;

}  // namespace nnlab
