#include "nnlab/optim/sgd.h"

#include "nnlab/kernels/threads.h"

namespace nnlab {

template <typename T>
void SGD<T>::update(size_t /*index*/, Tensor<T>& value, const Tensor<T>& grad) {
  const auto lr = static_cast<T>(this->lr_);
  T* w = value.data();
  const T* g = grad.data();
  parallel_for(value.size(), [&](int64_t begin, int64_t end) {
#pragma omp simd
    for (int64_t j = begin; j < end; ++j) w[j] -= lr * g[j];
  });
}

template class SGD<float>;
template class SGD<double>;

}  // namespace nnlab
