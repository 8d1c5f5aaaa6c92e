#pragma once
// Huber loss (PyTorch's HuberLoss, reduction "mean"): squared near the target, absolute far
// from it, with the two joined smoothly at |d| = δ, where d = y − t:
//   ℓ(d) = ½ d²             for |d| < δ         ℓ'(d) = d
//          δ (|d| − ½ δ)    otherwise           ℓ'(d) = δ · sign(d)
//   L = (1/M) Σ ℓ(d)
// The mean squared error's fast convergence for small errors, the mean absolute error's
// calm for outliers. "huber" in a spec is δ = 1; "huber:0.5" sets δ.

#include "nnlab/losses/loss.h"

namespace nnlab {

template <typename T>
class Huber final : public Loss<T> {
 public:
  // Throws std::invalid_argument unless delta > 0.
  explicit Huber(double delta = 1.0);

  std::string type() const override { return "Huber"; }
  std::string spec() const override;
  std::unique_ptr<Loss<T>> clone() const override { return std::make_unique<Huber>(*this); }
  double delta() const { return delta_; }

  T forward(const Tensor<T>& output, const Tensor<T>& target) override;
  const Tensor<T>& backward(T upstream = T(1)) override;

 private:
  double delta_;
  Tensor<T> difference_, input_grad_;
};

}  // namespace nnlab
