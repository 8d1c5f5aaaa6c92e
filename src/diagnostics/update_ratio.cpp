#include "nnlab/diagnostics/update_ratio.h"

#include <algorithm>
#include <cmath>

namespace nnlab::diagnostics {

double l2_norm(std::span<const float> values) {
  double sum = 0;
  for (float v : values) sum += static_cast<double>(v) * v;
  return std::sqrt(sum);
}

void UpdateRatio::bind(const std::vector<Parameter<float>>& parameters) {
  values_.clear();
  before_.clear();
  for (const auto& p : parameters) {
    values_.push_back(p.value);
    before_.emplace_back(static_cast<size_t>(p.value->size()));
  }
  ratios_.assign(values_.size(), NAN);
  value_norms_.assign(values_.size(), NAN);
}

void UpdateRatio::snapshot() {
  for (size_t i = 0; i < values_.size(); ++i) std::copy(values_[i]->begin(), values_[i]->end(), before_[i].begin());
}

void UpdateRatio::measure() {
  for (size_t i = 0; i < values_.size(); ++i) {
    double change = 0;
    const float* now = values_[i]->data();
    for (size_t k = 0; k < before_[i].size(); ++k) {
      const double d = static_cast<double>(now[k]) - before_[i][k];
      change += d * d;
    }
    value_norms_[i] = l2_norm(before_[i]);
    ratios_[i] = value_norms_[i] > 0 ? std::sqrt(change) / value_norms_[i] : NAN;
  }
}

}  // namespace nnlab::diagnostics
