#pragma once
// Mean absolute error over all elements (PyTorch's L1Loss, reduction "mean"):
//   L = (1/M) Σ |y − t|        dL/dy = sign(y − t) / M   (0 where y = t, as PyTorch)
// where M is the number of elements. Less swayed by outliers than the squared error: each
// sample pulls with the same strength however far off it is.

#include "nnlab/losses/loss.h"

namespace nnlab {

template <typename T>
class MeanAbsoluteError final : public Loss<T> {
 public:
  std::string type() const override { return "MeanAbsoluteError"; }
  std::string spec() const override { return "mae"; }
  std::unique_ptr<Loss<T>> clone() const override { return std::make_unique<MeanAbsoluteError>(*this); }

  T forward(const Tensor<T>& output, const Tensor<T>& target) override;
  const Tensor<T>& backward(T upstream = T(1)) override;

 private:
  Tensor<T> difference_, input_grad_;
};

}  // namespace nnlab
