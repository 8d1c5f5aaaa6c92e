#pragma once
// SGD with (heavy-ball) momentum, in PyTorch's form (torch.optim.SGD, momentum μ):
//   v ← μ·v + g        (v starts at 0, so the first step has v = g)
//   w ← w − lr·v
// The textbook form v ← μ·v − lr·g; w ← w + v gives the same weights while lr is
// constant; PyTorch's form keeps v independent of lr, so a schedule that changes
// lr takes effect at once instead of through the velocity.

#include "nnlab/optim/optimizer.h"

namespace nnlab {

template <typename T>
class Momentum final : public Optimizer<T> {
 public:
  // momentum in [0, 1).
  Momentum(std::vector<Parameter<T>> parameters, double lr, double momentum = 0.9, WeightDecay decay = {});
  std::string name() const override { return "Momentum"; }
  double momentum() const { return momentum_; }

 protected:
  void update(size_t index, Tensor<T>& value, const Tensor<T>& grad) override;

 private:
  double momentum_;
  std::vector<Tensor<T>> velocity_;  // v, one per parameter index
};

}  // namespace nnlab
