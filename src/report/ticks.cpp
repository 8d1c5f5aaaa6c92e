#include "nnlab/report/ticks.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace nnlab::report {

namespace {

// Widens an empty or missing span so every axis has something to show.
void widen_if_empty(double& lo, double& hi) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) {
    lo = 0;
    hi = 1;
  }
  if (lo > hi) std::swap(lo, hi);
  if (hi - lo <= 1e-12 * std::max(std::abs(lo), std::abs(hi))) {
    const double half = lo == 0 ? 1 : std::abs(lo) * 0.1;
    lo -= half;
    hi += half;
  }
}

}  // namespace

double nice_step(double raw) {
  if (!(raw > 0) || !std::isfinite(raw)) return 1;
  const double exponent = std::floor(std::log10(raw));
  const double scale = std::pow(10.0, exponent);
  const double fraction = raw / scale;
  // The thresholds sit at the geometric midpoints of 1, 2, 5 and 10.
  const double nice = fraction < 1.42 ? 1 : fraction < 3.17 ? 2 : fraction < 7.08 ? 5 : 10;
  return nice * scale;
}

std::vector<double> nice_ticks(double lo, double hi, int target) {
  widen_if_empty(lo, hi);
  const double step = nice_step((hi - lo) / std::max(1, target));
  // A small tolerance so that 0.6000000001 does not earn an extra tick.
  const double first = std::floor(lo / step + 1e-9);
  const double last = std::ceil(hi / step - 1e-9);
  std::vector<double> ticks;
  for (double k = first; k <= last; ++k) {
    // Counting in units well below the step and dividing by an exact power of
    // ten gives the double nearest the decimal value: 0.3, not 0.30000000000000004.
    const double digits = std::floor(std::log10(step)) - 3;
    const double unit = std::pow(10.0, digits);
    double tick = std::round(k * step / unit);
    tick = digits < 0 ? tick / std::pow(10.0, -digits) : tick * unit;
    ticks.push_back(tick == 0 ? 0.0 : tick);
  }
  return ticks;
}

std::vector<double> log_ticks(double lo, double hi, int max_ticks) {
  if (!(lo > 0) || !(hi > 0) || !std::isfinite(lo) || !std::isfinite(hi)) {
    lo = 1e-3;
    hi = 1;
  }
  if (lo > hi) std::swap(lo, hi);
  int first = static_cast<int>(std::floor(std::log10(lo) + 1e-9));
  int last = static_cast<int>(std::ceil(std::log10(hi) - 1e-9));
  if (last <= first) last = first + 1;
  const int decades = last - first;
  int stride = 1;
  for (const int candidate : {1, 2, 5, 10, 20, 50, 100}) {
    stride = candidate;
    if (decades / candidate + 1 <= std::max(2, max_ticks)) break;
  }
  // Strided decades stay at multiples of the stride so the labels read 10⁻⁶, 10⁻⁴, 10⁻².
  first = static_cast<int>(std::floor(static_cast<double>(first) / stride)) * stride;
  last = static_cast<int>(std::ceil(static_cast<double>(last) / stride)) * stride;
  std::vector<double> ticks;
  for (int e = first; e <= last; e += stride) ticks.push_back(std::pow(10.0, e));
  return ticks;
}

std::string format_tick(double value, double step) {
  if (std::abs(value) < step * 1e-6) value = 0;
  const double magnitude = std::max(std::abs(value), step);
  char buffer[64];
  if (value != 0 && (magnitude >= 1e6 || step < 1e-4)) {
    std::snprintf(buffer, sizeof buffer, "%.3g", value);
    // Tidy the exponent: 2.5e-05 → 2.5e-5, 1e+06 → 1e6.
    std::string text = buffer;
    const auto e = text.find('e');
    if (e != std::string::npos) {
      std::string mantissa = text.substr(0, e);
      const int exponent = std::stoi(text.substr(e + 1));
      text = mantissa + "e" + std::to_string(exponent);
    }
    return text;
  }
  const int decimals = std::max(0, static_cast<int>(-std::floor(std::log10(step) + 1e-9)));
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  std::string text = buffer;
  if (text.find_first_not_of("-0.") == std::string::npos && text.front() == '-') text.erase(0, 1);
  return text;
}

std::string format_decade(int exponent) {
  static constexpr const char* kSuperscripts[] = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};
  std::string digits = std::to_string(std::abs(exponent));
  std::string out = "10";
  if (exponent < 0) out += "⁻";
  for (const char d : digits) out += kSuperscripts[d - '0'];
  return out;
}

std::string format_number(double value, int significant_digits) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*g", std::max(1, significant_digits), value);
  std::string text = buffer;
  const auto e = text.find('e');
  if (e != std::string::npos) text = text.substr(0, e) + "e" + std::to_string(std::stoi(text.substr(e + 1)));
  if (text == "-0") text = "0";
  return text;
}

AxisTicks make_axis(double lo, double hi, bool log, int target) {
  AxisTicks axis;
  axis.log = log;
  if (log) {
    if (!(lo > 0) || !std::isfinite(lo) || !std::isfinite(hi) || !(hi > 0)) {
      lo = 1e-3;
      hi = 1;
    }
    axis.ticks = log_ticks(lo, hi, std::max(4, target + 4));
    axis.lo = axis.ticks.front();
    axis.hi = axis.ticks.back();
    const int first = static_cast<int>(std::lround(std::log10(axis.lo)));
    const int last = static_cast<int>(std::lround(std::log10(axis.hi)));
    const int stride =
        axis.ticks.size() > 1 ? static_cast<int>(std::lround(std::log10(axis.ticks[1] / axis.ticks[0]))) : 1;
    for (const double t : axis.ticks)
      axis.labels.push_back(format_decade(static_cast<int>(std::lround(std::log10(t)))));
    if (stride == 1 && last - first <= 6) {
      for (int e = first; e < last; ++e) {
        for (int m = 2; m <= 9; ++m) axis.minor_ticks.push_back(m * std::pow(10.0, e));
      }
    }
    // A single decade has too few labels to read values off: label 2× and 5× as well.
    if (last - first == 1) {
      const double base = axis.lo;
      axis.ticks = {base, 2 * base, 5 * base, axis.hi};
      axis.labels.clear();
      for (const double t : axis.ticks) axis.labels.push_back(format_number(t));
    }
    return axis;
  }
  widen_if_empty(lo, hi);
  axis.ticks = nice_ticks(lo, hi, target);
  axis.lo = axis.ticks.front();
  axis.hi = axis.ticks.back();
  const double step = axis.ticks.size() > 1 ? axis.ticks[1] - axis.ticks[0] : 1;
  const double largest = std::max(std::abs(axis.lo), std::abs(axis.hi));
  // Counts in the tens of thousands read faster as 60k than as 60000.
  const double unit = largest >= 1e7 && std::fmod(step, 1e6) == 0   ? 1e6
                      : largest >= 1e4 && std::fmod(step, 1e3) == 0 ? 1e3
                                                                    : 1;
  const char* suffix = unit == 1e6 ? "M" : unit == 1e3 ? "k" : "";
  for (const double t : axis.ticks) {
    std::string label = t == 0 && unit > 1 ? "0" : format_tick(t / unit, step / unit) + suffix;
    // A typographic minus sign, as in print; the hyphen looks too short next to digits.
    for (size_t at = label.find('-'); at != std::string::npos; at = label.find('-', at)) label.replace(at, 1, "−");
    axis.labels.push_back(label);
  }
  return axis;
}

}  // namespace nnlab::report
