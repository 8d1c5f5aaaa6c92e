#pragma once
// AdamW (Loshchilov & Hutter 2019), as PyTorch 1.13 computes it (torch.optim.AdamW):
//   w ← w·(1 − lr·λ)          decoupled weight decay, before the Adam update
//   then Adam's update (see adam.h) with the plain gradient.
// With coupled L2 (Adam with weight decay) the decay term λ·w is divided by √v̂
// like the gradient, so weights with large gradients are barely decayed; decoupling
// shrinks every weight by the same factor. The decay follows the (scheduled) lr.
// The decay applies to parameters marked for it; WeightDecay::l1(λ) decouples the
// same way: w ← w − lr·λ·sign(w). PyTorch's default λ is 0.01.

#include "nnlab/optim/adam.h"

namespace nnlab {

template <typename T>
class AdamW final : public Adam<T> {
 public:
  AdamW(std::vector<Parameter<T>> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double eps = 1e-8, WeightDecay decay = WeightDecay::l2(0.01))
      : Adam<T>("AdamW", std::move(parameters), lr, beta1, beta2, eps, decay) {}
  std::string name() const override { return "AdamW"; }

 protected:
  void update(size_t index, Tensor<T>& value, const Tensor<T>& grad) override;
  bool couples_weight_decay() const override { return false; }
};

}  // namespace nnlab
