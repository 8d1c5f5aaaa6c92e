#pragma once
// RMSProp (Hinton's lecture 6e), in PyTorch's form (torch.optim.RMSprop, no momentum, not centred):
//   s ← α·s + (1−α)·g²               (s starts at 0)
//   w ← w − lr · g / (√s + eps)
// eps sits outside the square root, as in PyTorch (Keras and TensorFlow put it inside).
// s is not bias-corrected, so the first steps are larger than lr: √s ≈ √(1−α)·|g|.

#include "nnlab/optim/optimizer.h"

namespace nnlab {

template <typename T>
class RMSProp final : public Optimizer<T> {
 public:
  // alpha in [0, 1], eps > 0.
  RMSProp(std::vector<Parameter<T>> parameters, double lr = 0.01, double alpha = 0.99, double eps = 1e-8,
          WeightDecay decay = {});
  std::string name() const override { return "RMSProp"; }
  double alpha() const { return alpha_; }
  double eps() const { return eps_; }

 protected:
  void update(size_t index, Tensor<T>& value, const Tensor<T>& grad) override;
  std::vector<std::pair<std::string, double>> hyperparameters() const override {
    return {{"alpha", alpha_}, {"eps", eps_}};
  }

 private:
  double alpha_;
  double eps_;
  std::vector<Tensor<T>> mean_square_;  // s, one per parameter index
};

}  // namespace nnlab
