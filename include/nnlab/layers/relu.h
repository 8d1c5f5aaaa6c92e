#pragma once
// ReLU:  y = max(0, x);   dx = dy · [x > 0]   (the gradient at 0 is taken as 0, as in PyTorch)

#include "nnlab/layers/activation.h"

namespace nnlab {

template <typename T>
class ReLU final : public Activation<T> {
 public:
  std::string type() const override { return "ReLU"; }
  std::string spec() const override { return "relu"; }
  const Tensor<T>& forward(const Tensor<T>& x) override;
  const Tensor<T>& backward(const Tensor<T>& dy) override;
  // Element by element: any layout, kept.
  bool takes_channel_blocks() const override { return true; }

  // Set by Sequential when the next layer is a MaxPool2d that masks its own input gradient by
  // the sign of this layer's output (MaxPool2d::set_input_from_relu): dy is then already zero
  // wherever y = 0, and backward returns it as it is, to the last bit what it would compute.
  void set_gradient_masked_by_next(bool masked) { gradient_masked_by_next_ = masked; }

 private:
  bool gradient_masked_by_next_ = false;
};

}  // namespace nnlab
