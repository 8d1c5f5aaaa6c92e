#include "nnlab/optim/adamw.h"

namespace nnlab {

template <typename T>
void AdamW<T>::update(size_t index, Tensor<T>& value, const Tensor<T>& grad) {
  const WeightDecay& decay = this->decay_;
  if (decay.active() && this->parameters_[index].decay) {
    T* w = value.data();
    const int64_t n = value.size();
    if (decay.kind == WeightDecay::Kind::kL2) {
      // One factor, as PyTorch's param.mul_(1 - lr * weight_decay), so the result is bit-for-bit the same.
      const auto shrink = static_cast<T>(1.0 - this->lr_ * decay.lambda);
#pragma omp simd
      for (int64_t j = 0; j < n; ++j) w[j] *= shrink;
    } else {
      const auto step = static_cast<T>(this->lr_ * decay.lambda);
#pragma omp simd
      for (int64_t j = 0; j < n; ++j) w[j] -= step * static_cast<T>((w[j] > T(0)) - (w[j] < T(0)));
    }
  }
  Adam<T>::update(index, value, grad);
}

template class AdamW<float>;
template class AdamW<double>;

}  // namespace nnlab
