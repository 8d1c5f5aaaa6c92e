#include "nnlab/report/palette.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

namespace nnlab::report {

namespace {

constexpr std::array<const char*, 8> kOkabeIto = {
    "#0072B2",  // blue
    "#D55E00",  // vermillion
    "#009E73",  // bluish green
    "#CC79A7",  // reddish purple
    "#E69F00",  // orange
    "#56B4E9",  // sky blue
    "#000000",  // black
    "#F0E442",  // yellow: weakest on white, so last
};

// Viridis sampled at 9 evenly spaced points; linear interpolation between them
// stays within a few units of the full 256-entry table.
constexpr std::array<std::array<double, 3>, 9> kViridis = {{
    {68, 1, 84},
    {71, 44, 122},
    {59, 81, 139},
    {44, 113, 142},
    {33, 144, 141},
    {39, 173, 129},
    {92, 200, 99},
    {170, 220, 50},
    {253, 231, 37},
}};

std::string hex_color(double r, double g, double b) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "#%02x%02x%02x", static_cast<int>(std::lround(std::clamp(r, 0.0, 255.0))),
                static_cast<int>(std::lround(std::clamp(g, 0.0, 255.0))),
                static_cast<int>(std::lround(std::clamp(b, 0.0, 255.0))));
  return buffer;
}

}  // namespace

std::string series_color(size_t index) { return kOkabeIto[index % kOkabeIto.size()]; }

std::string series_dash(size_t index) {
  static constexpr std::array<const char*, 4> kDashes = {"", "6 3", "2 3", "7 3 2 3"};
  return kDashes[(index / kOkabeIto.size()) % kDashes.size()];
}

std::string viridis(double t) {
  if (!std::isfinite(t)) t = 0;
  t = std::clamp(t, 0.0, 1.0) * (kViridis.size() - 1);
  const size_t i = std::min(static_cast<size_t>(t), kViridis.size() - 2);
  const double f = t - static_cast<double>(i);
  const auto& a = kViridis[i];
  const auto& b = kViridis[i + 1];
  return hex_color(a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]), a[2] + f * (b[2] - a[2]));
}

std::string grey(double t) {
  if (!std::isfinite(t)) t = 0.5;
  const double v = std::clamp(t, 0.0, 1.0) * 255;
  return hex_color(v, v, v);
}

}  // namespace nnlab::report
