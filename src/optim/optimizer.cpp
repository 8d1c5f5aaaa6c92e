#include "nnlab/optim/optimizer.h"

#include <cmath>
#include <stdexcept>

#include "nnlab/kernels/threads.h"

namespace nnlab {

template <typename T>
Optimizer<T>::Optimizer(std::vector<Parameter<T>> parameters, double lr, WeightDecay decay)
    : parameters_(std::move(parameters)), lr_(lr), decay_(decay) {
  set_lr(lr);
  if (decay_.kind != WeightDecay::Kind::kNone && !(decay_.lambda >= 0 && std::isfinite(decay_.lambda))) {
    throw std::invalid_argument("weight decay must be a finite number >= 0, got " + std::to_string(decay_.lambda));
  }
  for (const auto& p : parameters_) {
    if (p.value == nullptr || p.grad == nullptr || p.value->size() != p.grad->size()) {
      throw std::invalid_argument("parameter '" + p.name + "' has no gradient of its size");
    }
  }
}

template <typename T>
void Optimizer<T>::set_lr(double lr) {
  if (!(lr >= 0) || !std::isfinite(lr)) {
    throw std::invalid_argument("learning rate must be a finite number >= 0, got " + std::to_string(lr));
  }
  lr_ = lr;
}

template <typename T>
void Optimizer<T>::step() {
  const bool add_decay = decay_.active() && couples_weight_decay();
  const auto lambda = static_cast<T>(decay_.lambda);
  for (size_t i = 0; i < parameters_.size(); ++i) {
    Parameter<T>& p = parameters_[i];
    if (add_decay && p.decay) {
      const T* w = p.value->data();
      T* g = p.grad->data();
      const int64_t n = p.value->size();
      if (decay_.kind == WeightDecay::Kind::kL2) {
        for (int64_t j = 0; j < n; ++j) g[j] += lambda * w[j];
      } else {
        for (int64_t j = 0; j < n; ++j) g[j] += lambda * static_cast<T>((w[j] > T(0)) - (w[j] < T(0)));
      }
    }
    update(i, *p.value, *p.grad);
  }
  ++steps_;
}

template <typename T>
double Optimizer<T>::penalty() const {
  if (!decay_.active()) return 0.0;
  double sum = 0;
  for (const auto& p : parameters_) {
    if (!p.decay) continue;
    for (T w : *p.value) sum += decay_.kind == WeightDecay::Kind::kL2 ? static_cast<double>(w) * w : std::abs(w);
  }
  return decay_.kind == WeightDecay::Kind::kL2 ? 0.5 * decay_.lambda * sum : decay_.lambda * sum;
}

template class Optimizer<float>;
template class Optimizer<double>;

}  // namespace nnlab
