#include "nnlab/optim/sgd.h"

namespace nnlab {

template <typename T>
void SGD<T>::update(size_t /*index*/, Tensor<T>& value, const Tensor<T>& grad) {
  const auto lr = static_cast<T>(this->lr_);
  T* w = value.data();
  const T* g = grad.data();
  const int64_t n = value.size();
#pragma omp simd
  for (int64_t j = 0; j < n; ++j) w[j] -= lr * g[j];
}

template class SGD<float>;
template class SGD<double>;

}  // namespace nnlab
