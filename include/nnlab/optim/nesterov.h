#pragma once
// Nesterov accelerated gradient, in PyTorch's form (torch.optim.SGD, nesterov=True):
//   v ← μ·v + g        (v starts at 0)
//   w ← w − lr·(g + μ·v)
// The look-ahead of the textbook form (gradient taken at w + μ·v) is folded into
// the update, so the gradient is still the one at the current weights.

#include "nnlab/optim/optimizer.h"

namespace nnlab {

template <typename T>
class Nesterov final : public Optimizer<T> {
 public:
  // momentum in [0, 1).
  Nesterov(std::vector<Parameter<T>> parameters, double lr, double momentum = 0.9, WeightDecay decay = {});
  std::string name() const override { return "Nesterov"; }
  double momentum() const { return momentum_; }

 protected:
  void update(size_t index, Tensor<T>& value, const Tensor<T>& grad) override;

 private:
  double momentum_;
  std::vector<Tensor<T>> velocity_;  // v, one per parameter index
};

}  // namespace nnlab
