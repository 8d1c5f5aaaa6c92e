#pragma once
// Softmax over the features of each sample (dimension 1 of N×F):
//   y_i = e^(x_i − max x) / Σ_j e^(x_j − max x)       (shifting by the max keeps e^ finite)
//   dx_i = y_i · (dy_i − Σ_j dy_j · y_j)
// For classification training use the fused SoftmaxCrossEntropy loss instead:
// it is cheaper and stable for large logits.

#include "nnlab/layers/activation.h"

namespace nnlab {

template <typename T>
class Softmax final : public Activation<T> {
 public:
  std::string type() const override { return "Softmax"; }
  std::string spec() const override { return "softmax"; }
  const Tensor<T>& forward(const Tensor<T>& x) override;
  const Tensor<T>& backward(const Tensor<T>& dy) override;
};

// Row-wise softmax of an N×F array; shared with SoftmaxCrossEntropy.
template <typename T>
void softmax_rows(const T* x, T* y, int64_t rows, int64_t features);

}  // namespace nnlab
