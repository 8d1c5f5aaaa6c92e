#pragma once
// Stochastic gradient descent:  w ← w − lr · g

#include "nnlab/optim/optimizer.h"

namespace nnlab {

template <typename T>
class SGD final : public Optimizer<T> {
 public:
  SGD(std::vector<Parameter<T>> parameters, double lr, WeightDecay decay = {})
      : Optimizer<T>(std::move(parameters), lr, decay) {}
  std::string name() const override { return "SGD"; }

 protected:
  void update(size_t index, Tensor<T>& value, const Tensor<T>& grad) override;
};

}  // namespace nnlab
