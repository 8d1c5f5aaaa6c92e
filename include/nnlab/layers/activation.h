#pragma once
// Common ground for element-wise activations: the output has the input's shape,
// and forward/backward are one loop each, written in the subclass.

#include "nnlab/layers/layer.h"

namespace nnlab {

template <typename T>
class Activation : public Layer<T> {
 public:
  Shape output_shape(const Shape& input_sample) const override { return input_sample; }

 protected:
  // Resizes the buffer to the shape of `like` (allocating only when it grows), in like's layout.
  static void match(Tensor<T>& buffer, const Tensor<T>& like) {
    if (buffer.shape() != like.shape()) buffer.resize(like.shape());
    buffer.set_channel_block(like.channel_block());
  }
  // dy must have the shape of the output (output_, or what else forward returned).
  void check_backward(const Tensor<T>& dy) const { check_backward(dy, output_.shape()); }
  void check_backward(const Tensor<T>& dy, const Shape& output_shape) const {
    if (output_shape != dy.shape()) {
      throw std::invalid_argument(this->type() + " backward expects gradient " + output_shape.str() + ", got " +
                                  dy.shape().str());
    }
  }
  Tensor<T> output_, input_grad_;
};

}  // namespace nnlab
