#pragma once
// Warnings about a training run that goes on but learns badly, each given once:
//
// - vanishing gradients, seen either way:
//   * saturation: more than `saturated_fraction` of a sigmoid's or tanh's outputs sit where
//     its slope is under a fifth of its peak (sigmoid outside [0.05, 0.95], tanh outside
//     [-0.9, 0.9]), for `vanishing_samples` sampled steps in a row. Gradients die in such
//     units; this is what happens in a deep sigmoid network initialised with std 1 (60-75%
//     saturated in every layer), whose gradient still reaches the input only because its
//     large weights make up for it.
//   * the weight gradient of the first weighted layer is below
//   `vanishing_ratio` × the last weighted layer's for `vanishing_samples` sampled steps in a
//   row. Norms per element (RMS), so that a 784×100 matrix and a 100×10 one compare. A deep
//   sigmoid network initialised with std 1 sits at ~1e-5 here; ReLU with He initialisation near 1.
// - dead ReLUs: more than `dead_fraction` of a ReLU layer's units output zero for the whole
//   batch, for `dead_samples` sampled steps in a row.
//
// A loss that explodes stops training instead: see ExplosionCheck in nnlab/train/trainer.h.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace nnlab::diagnostics {

struct HealthOptions {
  double vanishing_ratio = 1e-3;
  double saturated_fraction = 0.5;
  int vanishing_samples = 5;
  double dead_fraction = 0.5;
  int dead_samples = 5;
};

struct HealthWarning {
  int64_t step = 0;
  std::string kind;  // "vanishing_gradients", "dead_relu"
  int64_t layer = -1;
  std::string message;
};

class HealthChecks {
 public:
  // layer_names: how the messages name layer i ("layer 3.body.1"); its index where none is given.
  explicit HealthChecks(const HealthOptions& options = {}, std::vector<std::string> layer_names = {})
      : options_(options), layer_names_(std::move(layer_names)) {}

  // The RMS weight gradients of the first and the last weighted layer at a sampled step.
  std::optional<HealthWarning> observe_gradients(int64_t step, size_t first_layer, double first_rms, size_t last_layer,
                                                 double last_rms);
  // The saturated share of a sigmoid or tanh layer's outputs at a sampled step.
  std::optional<HealthWarning> observe_saturation(int64_t step, size_t layer, const std::string& type, double fraction);
  // The dead-unit fraction of a ReLU layer at a sampled step.
  std::optional<HealthWarning> observe_dead_units(int64_t step, size_t layer, double fraction);

 private:
  std::string name(size_t layer) const {
    return layer < layer_names_.size() ? layer_names_[layer] : std::to_string(layer);
  }

  HealthOptions options_;
  std::vector<std::string> layer_names_;
  int vanishing_run_ = 0;
  bool vanishing_warned_ = false;
  std::vector<int> saturated_run_;  // per layer
  std::vector<int> dead_run_;       // per layer
  std::vector<bool> dead_warned_;
};

}  // namespace nnlab::diagnostics
