#pragma once
// GlobalAvgPool: the mean of each channel over the whole image, N×C×H×W → N×C.
//   y[n, c] = (1/(H·W)) · Σ_(h, w) x[n, c, h, w]
//   dx[n, c, h, w] = dy[n, c] / (H·W)
// It takes images of any height and width, so a network that ends in it (before
// its last Linear) accepts any image size.

#include "nnlab/layers/layer.h"

namespace nnlab {

template <typename T>
class GlobalAvgPool final : public Layer<T> {
 public:
  std::string type() const override { return "GlobalAvgPool"; }
  std::string spec() const override { return "gap"; }
  Shape output_shape(const Shape& input_sample) const override;

  const Tensor<T>& forward(const Tensor<T>& x) override;
  const Tensor<T>& backward(const Tensor<T>& dy) override;
  // Takes channel blocks (Tensor::channel_block); its output N×C has no layout to choose.
  bool takes_channel_blocks() const override { return true; }

 private:
  Shape input_shape_;
  int64_t input_block_ = 0;  // x's channel block (0: NCHW)
  Tensor<T> output_, input_grad_;
};

}  // namespace nnlab
