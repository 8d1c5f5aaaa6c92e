#pragma once
// Linear (affine) layer:  y = x·Wᵀ + b
//   W: out×in (PyTorch's layout), b: out.
//   Input of any shape N×... is read as N×in (the textbook's Affine does the same),
//   so a Linear can follow an image layer without a Flatten.
// Backward:
//   dx = dy·W        dW = dyᵀ·x        db = Σ_rows dy
// As a model's first layer (no dx needed) with a mostly-zero input such as MNIST
// images, forward and dW skip the zeros (kernels/sparse_input.h).

#include "nnlab/kernels/sparse_input.h"
#include "nnlab/layers/layer.h"

namespace nnlab {

template <typename T>
class Linear final : public Layer<T> {
 public:
  Linear(int64_t in_features, int64_t out_features, bool bias = true);

  std::string type() const override { return "Linear"; }
  std::string spec() const override;
  Shape output_shape(const Shape& input_sample) const override;

  const Tensor<T>& forward(const Tensor<T>& x) override;
  const Tensor<T>& backward(const Tensor<T>& dy) override;
  std::vector<Parameter<T>> parameters() override;
  void initialize(const Initializer& init, Rng& rng) override;

  int64_t in_features() const { return in_features_; }
  int64_t out_features() const { return out_features_; }
  bool has_bias() const { return has_bias_; }
  Tensor<T>& weight() { return weight_; }
  Tensor<T>& bias() { return bias_; }

 private:
  int64_t in_features_;
  int64_t out_features_;
  bool has_bias_;
  Tensor<T> weight_, bias_, weight_grad_, bias_grad_;
  Tensor<T> weight_grad_scratch_;  // the sparse kernel's dW while gradients accumulate
  const Tensor<T>* input_ = nullptr;
  Tensor<T> output_, input_grad_;
  SparseInput<T> sparse_input_;
  bool input_is_sparse_ = false;  // the last forward kept its input in sparse_input_
};

}  // namespace nnlab
