#pragma once
// AvgPool2d: the mean of each K×K window of each channel.
//   y[n, c, oh, ow] = (1/K²) · Σ_(i, j < K) x[n, c, oh·s − p + i, ow·s − p + j]
//   dx[n, c, ih, iw] = Σ over the windows holding (ih, iw) of dy[n, c, oh, ow] / K²
// Padding counts as zeros in the mean (PyTorch's default, count_include_pad = true):
// the divisor is always K².

#include "nnlab/layers/pool2d.h"

namespace nnlab {

template <typename T>
class AvgPool2d final : public Pool2d<T> {
 public:
  explicit AvgPool2d(int64_t kernel, int64_t stride, int64_t padding = 0);
  explicit AvgPool2d(int64_t kernel) : AvgPool2d(kernel, kernel) {}

  std::string type() const override { return "AvgPool2d"; }
  std::string spec() const override { return this->pool_spec("avgpool"); }

  const Tensor<T>& forward(const Tensor<T>& x) override;
  const Tensor<T>& backward(const Tensor<T>& dy) override;

 private:
  ConvGeometry geometry_;
  Tensor<T> output_, input_grad_;
};

}  // namespace nnlab
