#pragma once
// Hyperparameter checks shared by the optimizers: each throws std::invalid_argument
// naming the optimizer, the hyperparameter and the bad value.

#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>

namespace nnlab::detail {

inline std::string format_number(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

// value in [low, high), or [low, high] when high_inclusive.
inline void require_in_range(const std::string& optimizer, const std::string& name, double value, double low,
                             double high, bool high_inclusive = false) {
  const bool ok = std::isfinite(value) && value >= low && (high_inclusive ? value <= high : value < high);
  if (!ok) {
    throw std::invalid_argument(optimizer + ": " + name + " must be in [" + format_number(low) + ", " +
                                format_number(high) + (high_inclusive ? "]" : ")") + ", got " + format_number(value));
  }
}

inline void require_positive(const std::string& optimizer, const std::string& name, double value) {
  if (!(value > 0) || !std::isfinite(value)) {
    throw std::invalid_argument(optimizer + ": " + name + " must be a finite number > 0, got " + format_number(value));
  }
}

}  // namespace nnlab::detail
