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
//
// Each checked coordinate costs two forwards, so a convolutional network's
// hundreds of thousands of weights would take hours: options.coordinates checks a
// seeded random sample of each tensor's coordinates instead (sample_coordinates).
// In a Sequential, the forwards for a parameter of its layer k start at layer k, from
// the cached input of that layer, since the layers before it do not change.
//
// Kinks: ReLU and max pooling are not differentiable everywhere. When θ ± h moves a
// unit across a kink (a pre-activation across 0, a pooling window's maximum to another
// element), the central difference averages two slopes and disagrees with backprop
// although both are right; in a CNN, where the first layer's weights move every unit
// after them, that happens to a fair share of the coordinates at h = 1e-5. So a
// coordinate whose error is over the tolerance is measured again with steps h/10 and
// h/100 (options.smaller_steps), and its smallest error counts: a kink stops being
// crossed as the step shrinks, a wrong gradient stays wrong at every step. The entry
// counts the coordinates that needed it (`rechecked`).
//
// Randomness: Dropout layers keep their mask frozen during the check (Dropout::
// freeze_mask), in training mode, so that every forward is the same function and
// dropout's backward is checked as training uses it. BatchNorm stays in the mode the
// model is in (in training: batch statistics, the running ones updated but unused).

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "nnlab/layers/layer.h"
#include "nnlab/losses/loss.h"
#include "nnlab/model/sequential.h"

namespace nnlab {

struct GradientCheckEntry {
  std::string name;  // "input", "weight", "0.weight", ...
  int64_t elements = 0;
  int64_t checked = 0;             // how many of the elements were compared
  int64_t rechecked = 0;           // of those, how many agreed only at a smaller step (kinks)
  double max_error = 0;            // as defined above, over the checked elements
  double mean_absolute_error = 0;  // the textbook's measure, over the checked elements
};

struct GradientCheckReport {
  std::vector<GradientCheckEntry> entries;
  int64_t frozen_dropout_layers = 0;  // Dropout layers whose mask was frozen for the check
  double max_error() const;
  int64_t checked() const;    // coordinates compared, over all entries
  int64_t rechecked() const;  // of those, rechecked with a smaller step, over all entries
  int64_t elements() const;   // coordinates there are, over all entries
  bool passed(double tolerance = 1e-7) const { return max_error() < tolerance; }
  // One line per entry.
  std::string str() const;
};

struct GradientCheckOptions {
  double h = 1e-5;  // the finite-difference step
  // A coordinate with an error over `tolerance` is measured again with steps h/10, h/100,
  // ..., this many times at most (see Kinks above); 0 measures each coordinate once.
  double tolerance = 1e-7;
  int smaller_steps = 2;
  // Coordinates checked per tensor: at most this many, drawn at random without
  // repetition (a tensor with fewer has all checked); 0 checks every coordinate.
  int64_t coordinates = 0;
  uint64_t seed = 0;  // of the sample of coordinates
  // Called with each tensor's entry once it is checked (progress for long checks).
  std::function<void(const GradientCheckEntry&)> on_entry;
};

// `count` distinct indices in [0, size), drawn uniformly with rng and sorted; all of
// them, in order, when count is 0 or at least size. Throws std::invalid_argument for a
// negative count.
std::vector<int64_t> sample_coordinates(int64_t size, int64_t count, Rng& rng);

// Checks dL/dx and every parameter gradient of `layer` at input `x`.
// The layer must be differentiable (not Step). `h` is the finite-difference step.
GradientCheckReport check_layer_gradients(Layer<double>& layer, const Tensor<double>& x, Rng& rng, double h = 1e-5);
GradientCheckReport check_layer_gradients(Layer<double>& layer, const Tensor<double>& x, Rng& rng,
                                          const GradientCheckOptions& options);

// Checks every parameter gradient of `model` (and dL/dx) for loss(model(x), target): any
// Module (a Sequential, a Residual block, a module type of your own).
GradientCheckReport check_model_gradients(Module<double>& model, Loss<double>& loss, const Tensor<double>& x,
                                          const Tensor<double>& target, double h = 1e-5);
GradientCheckReport check_model_gradients(Module<double>& model, Loss<double>& loss, const Tensor<double>& x,
                                          const Tensor<double>& target, const GradientCheckOptions& options);

// The comparison itself, for any function: checks `analytic` against central differences
// of `objective` in the sampled coordinates of `values` (restored afterwards). The
// building block of the checks above, public so that the checker can be tested on
// gradients known to be wrong.
GradientCheckEntry compare_gradient(const std::string& name, Tensor<double>& values, const Tensor<double>& analytic,
                                    const std::function<double()>& objective, const GradientCheckOptions& options,
                                    Rng& sampler);

}  // namespace nnlab
