#pragma once
// SGD with momentum, in PyTorch's form (torch.optim.SGD, momentum μ, nesterov flag).
// Heavy ball (nesterov = false):
//   v ← μ·v + g        (v starts at 0, so the first step has v = g)
//   w ← w − lr·v
// Nesterov accelerated gradient (nesterov = true):
//   v ← μ·v + g
//   w ← w − lr·(g + μ·v)
// The textbook heavy ball v ← μ·v − lr·g; w ← w + v gives the same weights while
// lr is constant; PyTorch's form keeps v independent of lr, so a schedule that
// changes lr takes effect at once instead of through the velocity. In the Nesterov
// form the look-ahead of the textbook (gradient taken at w + μ·v) is folded into
// the update, so the gradient is still the one at the current weights.
//
// Nesterov (nnlab/optim/nesterov.h) is this class with the flag set.

#include "nnlab/optim/optimizer.h"

namespace nnlab {

template <typename T>
class Momentum : public Optimizer<T> {
 public:
  // momentum in [0, 1).
  Momentum(std::vector<Parameter<T>> parameters, double lr, double momentum = 0.9, WeightDecay decay = {},
           bool nesterov = false);
  std::string name() const override { return nesterov_ ? "Nesterov" : "Momentum"; }
  double momentum() const { return momentum_; }
  bool nesterov() const { return nesterov_; }

 protected:
  void update(size_t index, Tensor<T>& value, const Tensor<T>& grad) override;
  std::vector<std::pair<std::string, double>> hyperparameters() const override {
    return {{"momentum", momentum_}, {"nesterov", nesterov_ ? 1.0 : 0.0}};
  }

 private:
  double momentum_;
  bool nesterov_;
  std::vector<Tensor<T>> velocity_;  // v, one per parameter index
};

}  // namespace nnlab
