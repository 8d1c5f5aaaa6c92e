#pragma once
// Layer normalisation (Ba, Kiros & Hinton, 2016), PyTorch's LayerNorm with
// elementwise_affine over the whole sample.
//
// Each sample (a row of D = F or C·H·W elements) is normalised over its own elements,
// then scaled and shifted element by element:
//   μ = (1/D) Σ_j x_j      σ² = (1/D) Σ_j (x_j − μ)²   (biased)
//   x̂_j = (x_j − μ) / √(σ² + eps)
//   y_j = γ_j · x̂_j + β_j
// Unlike BatchNorm it uses no batch statistics, so training and eval are the same.
// γ and β are saved under PyTorch's names, weight and bias, with one sample's shape.
//
// Backward, per sample, with g_j = γ_j·dy_j and σ = √(σ² + eps):
//   dβ_j = Σ_samples dy_j      dγ_j = Σ_samples dy_j·x̂_j
//   dx_j = (1/σ)/D · (D·g_j − Σ_k g_k − x̂_j·Σ_k g_k·x̂_k)

#include "nnlab/layers/layer.h"

namespace nnlab {

template <typename T>
class LayerNorm final : public Layer<T> {
 public:
  // normalized_size: the elements per sample (D).
  explicit LayerNorm(int64_t normalized_size, double eps = 1e-5);
  // normalized_shape: one sample's shape (F, or C×H×W), which γ and β take, as in
  // PyTorch's nn.LayerNorm(normalized_shape); the D elements are normalised together.
  explicit LayerNorm(const Shape& normalized_shape, double eps = 1e-5);

  std::string type() const override { return "LayerNorm"; }
  // "layernorm", with ":eps=E" where it differs from the default.
  std::string spec() const override;
  Shape output_shape(const Shape& input_sample) const override;

  const Tensor<T>& forward(const Tensor<T>& x) override;
  const Tensor<T>& backward(const Tensor<T>& dy) override;
  // weight (γ) and bias (β), D elements each, without weight decay.
  std::vector<Parameter<T>> parameters() override;
  // γ = 1, β = 0, whatever the initialiser.
  void initialize(const Initializer& init, Rng& rng) override;

  int64_t normalized_size() const { return normalized_size_; }
  double eps() const { return eps_; }
  Tensor<T>& gamma() { return gamma_; }
  Tensor<T>& beta() { return beta_; }

 private:
  int64_t normalized_size_;
  double eps_;
  Tensor<T> gamma_, beta_, gamma_grad_, beta_grad_;
  // Cached by forward: x̂ and 1/σ per sample.
  Tensor<T> normalized_, inv_std_;
  Tensor<T> output_, input_grad_;
};

}  // namespace nnlab
