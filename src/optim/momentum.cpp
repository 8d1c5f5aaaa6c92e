#include "nnlab/optim/momentum.h"

#include "checks.h"

namespace nnlab {

template <typename T>
Momentum<T>::Momentum(std::vector<Parameter<T>> parameters, double lr, double momentum, WeightDecay decay,
                      bool nesterov)
    : Optimizer<T>(std::move(parameters), lr, decay), momentum_(momentum), nesterov_(nesterov) {
  detail::require_in_range(nesterov ? "Nesterov" : "Momentum", "momentum", momentum, 0.0, 1.0);
  velocity_.reserve(this->parameters_.size());
  for (const auto& p : this->parameters_) velocity_.emplace_back(p.value->shape());
  this->register_state("momentum_buffer", velocity_);
}

template <typename T>
void Momentum<T>::update(size_t index, Tensor<T>& value, const Tensor<T>& grad) {
  const auto lr = static_cast<T>(this->lr_);
  const auto mu = static_cast<T>(momentum_);
  T* w = value.data();
  const T* g = grad.data();
  T* v = velocity_[index].data();
  const int64_t n = value.size();
  // The flag is tested once per parameter, not per element, so each loop stays a
  // plain vector loop.
  if (nesterov_) {
#pragma omp simd
    for (int64_t j = 0; j < n; ++j) {
      v[j] = mu * v[j] + g[j];
      w[j] -= lr * (g[j] + mu * v[j]);
    }
  } else {
#pragma omp simd
    for (int64_t j = 0; j < n; ++j) {
      v[j] = mu * v[j] + g[j];
      w[j] -= lr * v[j];
    }
  }
}

template class Momentum<float>;
template class Momentum<double>;

}  // namespace nnlab
