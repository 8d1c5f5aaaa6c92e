#include "nnlab/search/narrowing.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>

namespace nnlab {

namespace {

// An end of a narrowed range rounded outward to two significant digits, so that
// the suggested space reads as a person writes it and still holds every trial it
// was narrowed to: 0.0040123 → 0.004 (a low end, down), 0.0092716 → 0.0093 (a high
// end, up). The text of the result is short: its shortest form is what it was parsed from.
double round_outward(double value, bool up) {
  if (value == 0 || !std::isfinite(value)) return value;
  char text[32];
  std::snprintf(text, sizeof text, "%.1e", value);  // "-9.3e-03": to the nearest, either way
  const char* e = std::strchr(text, 'e');
  const bool negative = text[0] == '-';
  const char* mantissa = text + (negative ? 1 : 0);  // "9.3"
  if (e == nullptr || e - mantissa != 3) return value;
  const long exponent = std::strtol(e + 1, nullptr, 10) - 1;
  long digits = (mantissa[0] - '0') * 10 + (mantissa[2] - '0');
  if (negative) digits = -digits;
  auto make = [&] { return std::strtod((std::to_string(digits) + "e" + std::to_string(exponent)).c_str(), nullptr); };
  double rounded = make();
  if (up ? rounded < value : rounded > value) {
    digits += up ? 1 : -1;
    rounded = make();
  }
  return rounded;
}

}  // namespace

std::string ranking_text(const std::vector<TrialRecord>& trials, const SearchSpace& space, int top) {
  const std::vector<TrialRecord> best = ranked(trials);
  std::string text;
  for (int i = 0; i < std::min<int>(top, static_cast<int>(best.size())); ++i) {
    char head[96];
    if (best[i].diverged) {
      std::snprintf(head, sizeof head, "Best-%d (diverged, trial %d) | ", i + 1, best[i].index);
    } else {
      std::snprintf(head, sizeof head, "Best-%d (val acc: %.2f) | ", i + 1, best[i].score);
    }
    text += head + space.describe(best[i].plan.point) + "\n";
  }
  return text;
}

int narrowing_count(size_t finished) {
  const int tenth = static_cast<int>(std::ceil(0.1 * static_cast<double>(finished)));
  return std::min(static_cast<int>(finished), std::max(5, tenth));
}

SearchSpace narrowed_space(const std::vector<TrialRecord>& trials, const SearchSpace& space, int top) {
  std::vector<TrialRecord> best = ranked(trials);
  best.erase(std::remove_if(best.begin(), best.end(), [](const TrialRecord& t) { return !std::isfinite(t.score); }),
             best.end());
  best.resize(std::min<size_t>(best.size(), static_cast<size_t>(std::max(top, 1))));
  if (best.empty()) return space;
  std::vector<Dimension> dimensions;
  for (size_t i = 0; i < space.size(); ++i) {
    Dimension d = space.dimensions()[i];
    if (d.is_choice()) {
      std::set<size_t> used;
      for (const auto& t : best) used.insert(static_cast<size_t>(t.plan.point[i]));
      std::vector<std::string> kept;
      for (size_t item : used) kept.push_back(d.choices[item]);
      d.choices = kept;
    } else {
      double low = best[0].plan.point[i];
      double high = low;
      for (const auto& t : best) {
        low = std::min(low, t.plan.point[i]);
        high = std::max(high, t.plan.point[i]);
      }
      // A range must stay a range: widen a single value by one grid step either way.
      if (!(low < high)) {
        if (d.integer) {
          low = std::max(d.low, low - 1);
          high = std::min(d.high, high + 1);
        } else if (d.log) {
          low /= 1.25;
          high *= 1.25;
        } else {
          const double step = 0.05 * (d.high - d.low);
          low -= step;
          high += step;
        }
      }
      if (!d.integer) {
        low = std::max(d.low, round_outward(low, false));
        high = std::min(d.high, round_outward(high, true));
      }
      d.low = low;
      d.high = high;
    }
    dimensions.push_back(std::move(d));
  }
  return SearchSpace(std::move(dimensions));
}

}  // namespace nnlab
