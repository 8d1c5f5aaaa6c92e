#pragma once
// Identity:  y = x;   dx = dy.  Passes references through: it costs nothing.

#include "nnlab/layers/layer.h"

namespace nnlab {

template <typename T>
class Identity final : public Layer<T> {
 public:
  std::string type() const override { return "Identity"; }
  std::string spec() const override { return "identity"; }
  Shape output_shape(const Shape& input_sample) const override { return input_sample; }
  const Tensor<T>& forward(const Tensor<T>& x) override { return x; }
  const Tensor<T>& backward(const Tensor<T>& dy) override { return dy; }
};

}  // namespace nnlab
