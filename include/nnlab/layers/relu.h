#pragma once
// ReLU:  y = max(0, x);   dx = dy · [x > 0]   (the gradient at 0 is taken as 0, as in PyTorch)

#include "nnlab/layers/activation.h"

namespace nnlab {

template <typename T>
class ReLU final : public Activation<T> {
 public:
  std::string type() const override { return "ReLU"; }
  std::string spec() const override { return "relu"; }
  const Tensor<T>& forward(const Tensor<T>& x) override;
  const Tensor<T>& backward(const Tensor<T>& dy) override;
};

}  // namespace nnlab
