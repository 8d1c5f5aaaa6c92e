#pragma once
// Softmax followed by cross-entropy, fused (PyTorch's CrossEntropyLoss):
//   L = −(1/N) Σ_n log softmax(x_n)[t_n]
//     = (1/N) Σ_n (log Σ_j e^(x_nj − m_n) + m_n − x_n,t_n),   m_n = max_j x_nj
// which stays finite for logits of any size. The gradient is
//   dL/dx = (softmax(x) − onehot(t)) / N.
// The target is either N class indices (shape [N]) or N×C class probabilities.

#include "nnlab/losses/loss.h"

namespace nnlab {

template <typename T>
class SoftmaxCrossEntropy final : public Loss<T> {
 public:
  std::string type() const override { return "SoftmaxCrossEntropy"; }
  std::string spec() const override { return "cross-entropy"; }
  std::unique_ptr<Loss<T>> clone() const override { return std::make_unique<SoftmaxCrossEntropy>(*this); }
  T forward(const Tensor<T>& logits, const Tensor<T>& target) override;
  const Tensor<T>& backward(T upstream = T(1)) override;
  // Softmax of the last forward's logits.
  const Tensor<T>& probabilities() const { return probabilities_; }

 private:
  const Tensor<T>* target_ = nullptr;
  bool target_is_index_ = true;
  Tensor<T> probabilities_, input_grad_;
};

}  // namespace nnlab
