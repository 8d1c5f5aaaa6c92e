#include "nnlab/diagnostics/activation_stats.h"

#include <cmath>
#include <stdexcept>

namespace nnlab::diagnostics {

Moments moments(std::span<const float> values) {
  if (values.empty()) return {};
  double sum = 0;
  for (float v : values) sum += v;
  const double mean = sum / static_cast<double>(values.size());
  double squares = 0;
  for (float v : values) squares += (v - mean) * (v - mean);
  return {mean, std::sqrt(squares / static_cast<double>(values.size()))};
}

BinnedValues bin_values(std::span<const float> values, double lo, double hi, int bins) {
  if (bins < 1) throw std::invalid_argument("a histogram needs at least one bin");
  if (!(hi > lo)) throw std::invalid_argument("a histogram needs a range with hi > lo");
  BinnedValues out{lo, hi, std::vector<double>(static_cast<size_t>(bins), 0.0), 0};
  const double scale = bins / (hi - lo);
  for (float v : values) {
    if (!(v >= lo && v <= hi)) {  // also catches NaN
      ++out.outside;
      continue;
    }
    const auto bin = std::min(static_cast<int64_t>((v - lo) * scale), static_cast<int64_t>(bins - 1));
    out.counts[static_cast<size_t>(bin)] += 1;
  }
  return out;
}

double dead_unit_fraction(const Tensor<float>& activations) {
  const int64_t units = activations.row_size();
  if (units == 0 || activations.rows() == 0) return 0;
  int64_t dead = 0;
  for (int64_t u = 0; u < units; ++u) {
    bool alive = false;
    for (int64_t r = 0; r < activations.rows() && !alive; ++r) alive = activations.row(r)[u] > 0;
    dead += !alive;
  }
  return static_cast<double>(dead) / static_cast<double>(units);
}

namespace {
double share_outside(std::span<const float> values, float lo, float hi) {
  if (values.empty()) return 0;
  int64_t outside = 0;
  for (float v : values) outside += (v < lo) | (v > hi);
  return static_cast<double>(outside) / static_cast<double>(values.size());
}
}  // namespace

// σ'(z) = y(1 - y) peaks at 0.25; y = 0.05 gives 0.0475, under a fifth of it.
double sigmoid_saturated_fraction(std::span<const float> outputs) { return share_outside(outputs, 0.05f, 0.95f); }

// tanh'(z) = 1 - y² peaks at 1; |y| = 0.9 gives 0.19.
double tanh_saturated_fraction(std::span<const float> outputs) { return share_outside(outputs, -0.9f, 0.9f); }

}  // namespace nnlab::diagnostics
