#pragma once
// Residual: a block whose input skips past its body and is added to its output
// (He et al., "Deep Residual Learning for Image Recognition", 2016):
//   y  = body(x) + shortcut(x)
//   dx = body'(x)ᵀ·dy + shortcut'(x)ᵀ·dy
// The shortcut is the identity (shortcut(x) = x, dx gets dy as it is) when the body
// keeps the shape; otherwise a projection to the body's output shape: a 1×1
// convolution (with the stride that shrinks the image as the body does) for images,
// a Linear for features. Because the identity passes dy straight to dx, the gradient
// reaches early layers undiminished however deep the network is.
//
// PyTorch's equivalent has the children `body` (an nn.Sequential) and `shortcut`
// (the projection, when there is one), so parameters are named "body.0.weight",
// "shortcut.weight".

#include "nnlab/model/sequential.h"

namespace nnlab {

template <typename T>
class Residual final : public Module<T> {
 public:
  // shortcut: nullptr for the identity, which needs body to keep the shape of its input;
  // otherwise a module from the body's input shape to its output shape.
  // Throws std::invalid_argument when the shapes do not match.
  explicit Residual(Sequential<T> body, ModulePtr<T> shortcut = nullptr);

  // The projection a Residual needs around `body` for input samples `input_sample`: nullptr
  // (identity) when the body keeps the shape, a 1×1 Conv2d or a Linear otherwise.
  // Throws std::invalid_argument when no such projection exists.
  static ModulePtr<T> projection(const Shape& input_sample, const Shape& output_sample);

  std::string type() const override { return "Residual"; }
  // "res(BODY)": the shortcut is the one projection() gives, so it is not written.
  std::string spec() const override { return "res(" + body_.spec() + ")"; }
  Shape output_shape(const Shape& input_sample) const override;

  const Tensor<T>& forward(const Tensor<T>& x) override;
  const Tensor<T>& backward(const Tensor<T>& dy) override;
  // Channel blocks (Module::takes_channel_blocks) go through when the body and the shortcut take
  // them; the sum is in the body's layout, the shortcut's output converted to it where they differ.
  bool takes_channel_blocks() const override {
    return body_.takes_channel_blocks() && (!shortcut_ || shortcut_->takes_channel_blocks());
  }
  // A following ReLU, applied in the sum (Module::set_relu_out): y = max(0, body(x) + shortcut(x)).
  bool takes_relu_out() const override { return true; }

  std::vector<std::pair<std::string, Module<T>*>> children() const override;
  std::vector<Parameter<T>> parameters() override;
  std::vector<std::pair<std::string, Tensor<T>*>> buffers() override;
  std::vector<std::pair<std::string, int64_t*>> integer_buffers() override;
  std::vector<std::pair<std::string, Rng*>> generators() override;
  void initialize(const Initializer& init, Rng& rng) override;
  bool differentiable() const override;
  void set_needs_input_grad(bool needs) override;
  void zero_grad() override {
    body_.zero_grad();
    if (shortcut_) shortcut_->zero_grad();
  }

  Sequential<T>& body() { return body_; }
  Module<T>* shortcut() { return shortcut_.get(); }

 private:
  Sequential<T> body_;
  ModulePtr<T> shortcut_;
  Tensor<T> output_, input_grad_;
  // The shortcut's output in the body's layout, and the gradient in the shortcut's, where they differ.
  Tensor<T> skip_converted_, skip_grad_;
  int64_t skip_block_ = 0;
};

}  // namespace nnlab
