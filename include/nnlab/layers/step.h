#pragma once
// Step (the perceptron's activation):  y = 1 if x > 0, else 0.
// Its gradient is zero almost everywhere (and undefined at 0), so nothing can be
// learnt through it: backward throws, and a model containing it cannot be trained.

#include "nnlab/layers/activation.h"

namespace nnlab {

template <typename T>
class Step final : public Activation<T> {
 public:
  std::string type() const override { return "Step"; }
  std::string spec() const override { return "step"; }
  bool differentiable() const override { return false; }
  const Tensor<T>& forward(const Tensor<T>& x) override;
  const Tensor<T>& backward(const Tensor<T>& dy) override;
};

}  // namespace nnlab
