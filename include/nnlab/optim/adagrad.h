#pragma once
// AdaGrad (Duchi et al. 2011), in PyTorch's form (torch.optim.Adagrad):
//   s ← s + g²                       (s starts at 0)
//   w ← w − lr_t · g / (√s + eps)    lr_t = lr / (1 + (t−1)·lr_decay), t = 1, 2, ...
// eps sits outside the square root, as in PyTorch; its default 1e-10 only
// guards the division for coordinates whose gradient has always been 0.

#include "nnlab/optim/optimizer.h"

namespace nnlab {

template <typename T>
class AdaGrad final : public Optimizer<T> {
 public:
  // lr_decay >= 0, eps > 0.
  AdaGrad(std::vector<Parameter<T>> parameters, double lr = 0.01, double lr_decay = 0.0, double eps = 1e-10,
          WeightDecay decay = {});
  std::string name() const override { return "AdaGrad"; }
  double lr_decay() const { return lr_decay_; }
  double eps() const { return eps_; }

 protected:
  void update(size_t index, Tensor<T>& value, const Tensor<T>& grad) override;
  std::vector<std::pair<std::string, double>> hyperparameters() const override {
    return {{"lr_decay", lr_decay_}, {"eps", eps_}};
  }

 private:
  double lr_decay_;
  double eps_;
  std::vector<Tensor<T>> sum_of_squares_;  // s, one per parameter index
};

}  // namespace nnlab
