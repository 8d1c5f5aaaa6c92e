#pragma once
// Mean squared error over all elements (PyTorch's MSELoss, reduction "mean"):
//   L = (1/M) Σ (y − t)²        dL/dy = 2 (y − t) / M
// where M is the number of elements. (The textbook's version is ½ Σ (y − t)² per
// batch; it differs by a constant factor only.)

#include "nnlab/losses/loss.h"

namespace nnlab {

template <typename T>
class MeanSquaredError final : public Loss<T> {
 public:
  std::string type() const override { return "MeanSquaredError"; }
  std::string spec() const override { return "mse"; }
  std::unique_ptr<Loss<T>> clone() const override { return std::make_unique<MeanSquaredError>(*this); }
  T forward(const Tensor<T>& output, const Tensor<T>& target) override;
  const Tensor<T>& backward(T upstream = T(1)) override;

 private:
  Tensor<T> difference_, input_grad_;
};

}  // namespace nnlab
