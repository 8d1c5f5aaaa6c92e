#pragma once
// Axis ticks a reader can take in at a glance: linear steps of 1, 2 or 5 × 10^k,
// and on log axes whole decades labelled 10⁻³, 10⁻², … with unlabelled minor
// ticks at 2–9 × 10^k where there is room for them.

#include <string>
#include <vector>

namespace nnlab::report {

// The nearest of 1, 2, 5 × 10^k to `raw` (raw > 0): the step a person would choose.
double nice_step(double raw);

// Ticks at multiples of a nice step, about `target` of them, from the last
// multiple at or below lo to the first at or above hi: 0..0.93 gives 0, 0.2, …, 1.
// lo == hi is widened first so there is always a span.
std::vector<double> nice_ticks(double lo, double hi, int target = 5);

// Powers of ten from the last at or below lo to the first at or above hi
// (lo, hi > 0); every second or fifth decade when there are more than max_ticks.
std::vector<double> log_ticks(double lo, double hi, int max_ticks = 8);

// A tick label with as many decimals as the step needs ("0.2", "15", "-0.05"),
// switching to "2.5e-5" style for very small or very large values; never "-0".
std::string format_tick(double value, double step);

// 10 raised to `exponent` in superscript digits: "10⁻³", "10⁰", "10²".
std::string format_decade(int exponent);

// A short general-purpose number for legends and annotations: "0.001", "1.5e-05" → "1.5e-5", "123".
std::string format_number(double value, int significant_digits = 3);

// A whole axis: its extent (the data range widened to the outer ticks), the
// labelled ticks with their labels, and unlabelled minor ticks (log axes only).
struct AxisTicks {
  double lo = 0;
  double hi = 1;
  bool log = false;
  std::vector<double> ticks;
  std::vector<std::string> labels;
  std::vector<double> minor_ticks;
};

// `target` is the wished-for number of labelled ticks (linear axes). A log axis
// with a non-positive lo, or no data at all (NaN bounds), falls back to a sane default.
AxisTicks make_axis(double lo, double hi, bool log, int target = 5);

}  // namespace nnlab::report
