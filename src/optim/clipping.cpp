#include "nnlab/optim/clipping.h"

#include <algorithm>
#include <cmath>

#include "checks.h"

namespace nnlab {

template <typename T>
double clip_grad_norm(const std::vector<Parameter<T>>& parameters, double max_norm) {
  detail::require_positive("clip_grad_norm", "max_norm", max_norm);
  // Squares summed in double: a float sum over millions of values loses digits.
  double sum_of_squares = 0;
  for (const auto& p : parameters) {
    for (T g : *p.grad) sum_of_squares += static_cast<double>(g) * static_cast<double>(g);
  }
  const double norm = std::sqrt(sum_of_squares);
  const double scale = max_norm / (norm + 1e-6);
  if (std::isfinite(norm) && scale < 1.0) {
    const auto factor = static_cast<T>(scale);
    for (const auto& p : parameters) {
      for (T& g : *p.grad) g *= factor;
    }
  }
  return norm;
}

template <typename T>
void clip_grad_value(const std::vector<Parameter<T>>& parameters, double limit) {
  detail::require_positive("clip_grad_value", "limit", limit);
  const auto high = static_cast<T>(limit);
  for (const auto& p : parameters) {
    for (T& g : *p.grad) g = std::clamp(g, -high, high);
  }
}

template double clip_grad_norm<float>(const std::vector<Parameter<float>>&, double);
template double clip_grad_norm<double>(const std::vector<Parameter<double>>&, double);
template void clip_grad_value<float>(const std::vector<Parameter<float>>&, double);
template void clip_grad_value<double>(const std::vector<Parameter<double>>&, double);

}  // namespace nnlab
