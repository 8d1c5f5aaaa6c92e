#include "nnlab/diagnostics/training_health.h"

#include <cmath>
#include <sstream>

namespace nnlab::diagnostics {

std::optional<HealthWarning> HealthChecks::observe_gradients(int64_t step, size_t first_layer, double first_rms,
                                                             size_t last_layer, double last_rms) {
  if (vanishing_warned_ || first_layer == last_layer || !(last_rms > 0)) return std::nullopt;
  const double ratio = first_rms / last_rms;
  vanishing_run_ = ratio < options_.vanishing_ratio ? vanishing_run_ + 1 : 0;
  if (vanishing_run_ < options_.vanishing_samples) return std::nullopt;
  vanishing_warned_ = true;
  std::ostringstream out;
  out.precision(2);
  out << "vanishing gradients: the weight gradient of layer " << name(first_layer) << " is " << ratio
      << "× that of layer " << name(last_layer) << " (per element) for " << vanishing_run_
      << " samples in a row; the first layers hardly learn. Try ReLU with He initialisation, fewer "
         "layers, or normalisation layers.";
  return HealthWarning{step, "vanishing_gradients", static_cast<int64_t>(first_layer), out.str()};
}

std::optional<HealthWarning> HealthChecks::observe_saturation(int64_t step, size_t layer, const std::string& type,
                                                              double fraction) {
  if (saturated_run_.size() <= layer) saturated_run_.resize(layer + 1, 0);
  if (vanishing_warned_) return std::nullopt;
  saturated_run_[layer] = fraction > options_.saturated_fraction ? saturated_run_[layer] + 1 : 0;
  if (saturated_run_[layer] < options_.vanishing_samples) return std::nullopt;
  vanishing_warned_ = true;
  std::ostringstream out;
  out.precision(2);
  out << "vanishing gradients: " << fraction * 100 << "% of the outputs of layer " << name(layer) << " (" << type
      << ") are saturated, where its slope is under a fifth of its peak, for " << saturated_run_[layer]
      << " samples in a row; little gradient passes through them. Try ReLU with He initialisation, Xavier "
         "initialisation for "
      << type << ", or normalisation layers.";
  return HealthWarning{step, "vanishing_gradients", static_cast<int64_t>(layer), out.str()};
}

std::optional<HealthWarning> HealthChecks::observe_dead_units(int64_t step, size_t layer, double fraction) {
  if (dead_run_.size() <= layer) {
    dead_run_.resize(layer + 1, 0);
    dead_warned_.resize(layer + 1, false);
  }
  if (dead_warned_[layer]) return std::nullopt;
  dead_run_[layer] = fraction > options_.dead_fraction ? dead_run_[layer] + 1 : 0;
  if (dead_run_[layer] < options_.dead_samples) return std::nullopt;
  dead_warned_[layer] = true;
  std::ostringstream out;
  out.precision(2);
  out << "dead ReLUs: " << fraction * 100 << "% of the units of layer " << name(layer)
      << " output zero for every sample of the batch, for " << dead_run_[layer]
      << " samples in a row. The learning rate may be too high, or the initialisation or biases push the "
         "units below zero.";
  return HealthWarning{step, "dead_relu", static_cast<int64_t>(layer), out.str()};
}

}  // namespace nnlab::diagnostics
