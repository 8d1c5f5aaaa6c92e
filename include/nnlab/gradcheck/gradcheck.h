#pragma once
// Gradient checking: backpropagation against numerical gradients by central
// differences, in float64.
//
//   numerical ∂L/∂θ ≈ (L(θ + h) − L(θ − h)) / 2h
//
// For a single layer, L = Σ r ⊙ layer(x) with a fixed random r, so that every
// output element contributes with its own weight. For a whole model, L is the
// model's loss. The error reported per tensor is the largest
//   |analytic − numerical| / max(1, |analytic|, |numerical|),
// relative for gradients larger than 1 and absolute for smaller ones (a pure
// relative error is meaningless where both are ~0, e.g. behind an inactive ReLU).

#include <string>
#include <vector>

#include "nnlab/layers/layer.h"
#include "nnlab/losses/loss.h"
#include "nnlab/model/sequential.h"

namespace nnlab {

struct GradientCheckEntry {
  std::string name;  // "input", "weight", "0.weight", ...
  int64_t elements = 0;
  double max_error = 0;           // as defined above
  double mean_absolute_error = 0;  // the textbook's measure
};

struct GradientCheckReport {
  std::vector<GradientCheckEntry> entries;
  double max_error() const;
  bool passed(double tolerance = 1e-7) const { return max_error() < tolerance; }
  // One line per entry.
  std::string str() const;
};

// Checks dL/dx and every parameter gradient of `layer` at input `x`.
// The layer must be differentiable (not Step). `h` is the finite-difference step.
GradientCheckReport check_layer_gradients(Layer<double>& layer, const Tensor<double>& x, Rng& rng, double h = 1e-5);

// Checks every parameter gradient of `model` (and dL/dx) for loss(model(x), target).
GradientCheckReport check_model_gradients(Sequential<double>& model, Loss<double>& loss, const Tensor<double>& x,
                                          const Tensor<double>& target, double h = 1e-5);

}  // namespace nnlab
