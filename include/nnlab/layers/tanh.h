#pragma once
// Tanh:  y = tanh(x);   dx = dy · (1 − y²)

#include "nnlab/layers/activation.h"

namespace nnlab {

template <typename T>
class Tanh final : public Activation<T> {
 public:
  std::string type() const override { return "Tanh"; }
  std::string spec() const override { return "tanh"; }
  const Tensor<T>& forward(const Tensor<T>& x) override;
  const Tensor<T>& backward(const Tensor<T>& dy) override;
};

}  // namespace nnlab
