#pragma once
// ReLU:  y = max(0, x);   dx = dy · [x > 0]   (the gradient at 0 is taken as 0, as in PyTorch)

#include "nnlab/layers/activation.h"

namespace nnlab {

// max(0, v) as ReLU computes it (NaN and −0 give +0), for the layers that apply a following ReLU
// themselves (Module::set_relu_out): the same bits as the ReLU's own pass.
template <typename T>
inline T rectify(T v) {
  return v > T(0) ? v : T(0);
}

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
  // Set by Sequential, for the next forward only, when the module before has applied this ReLU to
  // its output (Module::set_relu_out): forward then returns x itself, max(0, x) = x, and backward
  // masks dy by the sign of x, or, when the module before masks it itself (masked_before:
  // Module::relu_out_masks_gradient), returns dy as it is. The same values as without, passes fewer.
  void set_input_rectified(bool rectified, bool masked_before = false) {
    input_rectified_ = rectified;
    masked_before_ = rectified && masked_before;
  }

 private:
  bool gradient_masked_by_next_ = false;
  bool input_rectified_ = false, masked_before_ = false;
  bool passes_gradient_on_ = false;  // the last forward's masked_before
  // The last forward's input, when it was rectified already (its output is then that input).
  const Tensor<T>* rectified_input_ = nullptr;
};

}  // namespace nnlab
