#pragma once
// Adam (Kingma & Ba 2015), exactly as PyTorch 1.13 computes it (torch.optim.Adam):
//   m ← β1·m + (1−β1)·g                 (m, v start at 0; t = 1, 2, ...)
//   v ← β2·v + (1−β2)·g²
//   step_size = lr / (1 − β1^t)
//   denom     = √v / √(1 − β2^t) + eps
//   w ← w − step_size · m / denom
// This is the paper's Algorithm 1, w ← w − lr·m̂/(√v̂ + eps) with m̂ = m/(1−β1^t) and
// v̂ = v/(1−β2^t), rearranged; it differs from it only by rounding. Other forms are
// not the same optimizer at small gradients, where eps matters:
//  - the paper's "more efficient" form (and TensorFlow's): lr_t = lr·√(1−β2^t)/(1−β1^t),
//    w ← w − lr_t·m/(√v + ε̂), i.e. eps scaled by √(1−β2^t), much smaller in early steps;
//  - eps inside the root, √(v̂ + eps), as some textbooks write it.
// The bias correction makes the first steps about lr in size (m̂ ≈ g, √v̂ ≈ |g|)
// instead of tiny, since m and v start at 0.

#include "nnlab/optim/optimizer.h"

namespace nnlab {

template <typename T>
class Adam : public Optimizer<T> {
 public:
  // beta1, beta2 in [0, 1); eps > 0. The decay is coupled (L2 added to the gradient), as in torch.optim.Adam.
  Adam(std::vector<Parameter<T>> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
       double eps = 1e-8, WeightDecay decay = {})
      : Adam("Adam", std::move(parameters), lr, beta1, beta2, eps, decay) {}
  std::string name() const override { return "Adam"; }
  double beta1() const { return beta1_; }
  double beta2() const { return beta2_; }
  double eps() const { return eps_; }

 protected:
  // For AdamW: errors name the optimizer the user asked for.
  Adam(const std::string& label, std::vector<Parameter<T>> parameters, double lr, double beta1, double beta2,
       double eps, WeightDecay decay);
  void update(size_t index, Tensor<T>& value, const Tensor<T>& grad) override;
  std::vector<std::pair<std::string, double>> hyperparameters() const override {
    return {{"beta1", beta1_}, {"beta2", beta2_}, {"eps", eps_}};
  }

 private:
  double beta1_;
  double beta2_;
  double eps_;
  std::vector<Tensor<T>> first_moment_;   // m, one per parameter index
  std::vector<Tensor<T>> second_moment_;  // v, one per parameter index
};

}  // namespace nnlab
