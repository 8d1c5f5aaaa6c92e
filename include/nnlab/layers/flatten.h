#pragma once
// Flatten: N×C×H×W → N×(C·H·W), the same numbers in the same order (a reshape).
//   dx = dy, reshaped back to the input's shape.
// Linear already reads any input as N×features; Flatten is for the layers that
// do not (and for models that name every step, as PyTorch's nn.Flatten does).

#include "nnlab/layers/layer.h"

namespace nnlab {

template <typename T>
class Flatten final : public Layer<T> {
 public:
  std::string type() const override { return "Flatten"; }
  std::string spec() const override { return "flatten"; }
  Shape output_shape(const Shape& input_sample) const override { return Shape{input_sample.numel()}; }

  const Tensor<T>& forward(const Tensor<T>& x) override;
  const Tensor<T>& backward(const Tensor<T>& dy) override;

 private:
  Shape input_shape_;
  Tensor<T> output_, input_grad_;
};

}  // namespace nnlab
