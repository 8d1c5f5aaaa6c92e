#pragma once
// Sigmoid:  y = 1 / (1 + e^(−x));   dx = dy · y · (1 − y)

#include "nnlab/layers/activation.h"

namespace nnlab {

template <typename T>
class Sigmoid final : public Activation<T> {
 public:
  std::string type() const override { return "Sigmoid"; }
  std::string spec() const override { return "sigmoid"; }
  const Tensor<T>& forward(const Tensor<T>& x) override;
  const Tensor<T>& backward(const Tensor<T>& dy) override;
};

}  // namespace nnlab
