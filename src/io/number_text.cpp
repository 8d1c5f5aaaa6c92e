#include "nnlab/io/number_text.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace nnlab {

std::string round_trip_number(double value) {
  char scientific[32], fixed[400];
  const auto sci = std::to_chars(scientific, scientific + sizeof scientific, value, std::chars_format::scientific);
  std::string out(scientific, sci.ptr);  // the shortest digits, e.g. "1.25e-05"
  const size_t e = out.find('e');
  if (e == std::string::npos) return out;  // "nan", "inf"
  // Plain digits for exponents from -4 to 15, as printf's %g chooses: 0.0001 and
  // 100000 rather than 1e-04 and 1e+05; 1e-05 and 1e16 stay as they are.
  const int exponent = std::atoi(out.c_str() + e + 1);
  if (exponent >= -4 && exponent < 16) {
    const auto plain = std::to_chars(fixed, fixed + sizeof fixed, value, std::chars_format::fixed);
    return std::string(fixed, plain.ptr);
  }
  if (out[e + 1] == '+') out.erase(e + 1, 1);
  return out;
}

bool read_number(std::string_view text, double& value) {
  if (text.starts_with('+')) {
    text.remove_prefix(1);
    if (text.starts_with('-') || text.starts_with('+')) return false;
  }
  if (text.empty()) return false;
  double parsed = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), parsed);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(parsed)) return false;
  value = parsed;
  return true;
}

}  // namespace nnlab
