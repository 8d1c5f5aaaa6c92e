#pragma once
// Colours that stay distinguishable for readers with colour-vision deficiencies:
// the Okabe–Ito palette for categories and viridis for values on a scale.

#include <cstddef>
#include <string>

namespace nnlab::report {

// The i-th category colour (Okabe–Ito, reordered so that the first ones have
// the most contrast on white; yellow comes last). Cycles after 8.
std::string series_color(size_t index);

// A dash pattern that tells apart series sharing a colour once the palette has
// cycled: "" for the first round, then dashed, dotted, dash-dotted.
std::string series_dash(size_t index);

// Viridis at t in [0, 1] (clamped), as "#rrggbb": dark purple → blue → green → yellow.
std::string viridis(double t);

// Grey level t in [0, 1] (clamped): 0 is black, 1 is white.
std::string grey(double t);

}  // namespace nnlab::report
