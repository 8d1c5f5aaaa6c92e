#pragma once
// MaxPool2d: the largest value in each K×K window of each channel.
//   y[n, c, oh, ow] = max_(i, j < K) x[n, c, oh·s − p + i, ow·s − p + j]    (padding is −∞: never chosen)
//   dx[n, c, argmax] += dy[n, c, oh, ow]    (the gradient flows only to the pixel that was chosen)
// Ties go to the first maximum in the window, a NaN wins over any number: as in PyTorch.
// The stride is usually the kernel size (non-overlapping windows).

#include <cstdint>
#include <vector>

#include "nnlab/layers/pool2d.h"

namespace nnlab {

template <typename T>
class MaxPool2d final : public Pool2d<T> {
 public:
  explicit MaxPool2d(int64_t kernel, int64_t stride, int64_t padding = 0);
  explicit MaxPool2d(int64_t kernel) : MaxPool2d(kernel, kernel) {}

  std::string type() const override { return "MaxPool2d"; }
  std::string spec() const override { return this->pool_spec("maxpool"); }

  const Tensor<T>& forward(const Tensor<T>& x) override;
  const Tensor<T>& backward(const Tensor<T>& dy) override;
  // 2×2 windows of stride 2 without padding (the conv nets' pools) take channel blocks
  // (Tensor::channel_block) and give them; other windows take NCHW.
  bool takes_channel_blocks() const override;

  // Set by Sequential when this pool follows a ReLU (x ≥ 0): backward then sends the gradient only
  // to chosen pixels greater than 0, dx[argmax] += (y > 0 ? dy : 0), which is what the ReLU's
  // backward would make of it, and the ReLU passes it on untouched (ReLU::set_gradient_masked_by_next):
  // one pass over the largest activations of a conv net less (SimpleConvNet's step: 8%).
  void set_input_from_relu(bool from_relu) { input_from_relu_ = from_relu; }

 private:
  const Tensor<T>& forward_blocks(const Tensor<T>& x);

  bool input_from_relu_ = false;
  Shape input_shape_;
  Tensor<T> output_, input_grad_;
  // For each output, the index of the chosen pixel in its channel plane (ih·W + iw).
  std::vector<int32_t> argmax_;
};

}  // namespace nnlab
