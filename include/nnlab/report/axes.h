#pragma once
// The frame every x–y chart shares: it lays out the title, axis labels and tick
// labels inside a panel's box, maps data to pixels, and draws grid lines and
// axes. LineChart, Histogram, Contour and Scatter draw their data in between.

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "nnlab/report/svg.h"
#include "nnlab/report/ticks.h"

namespace nnlab::report {

// The span of the data on one axis; empty until a finite value is included.
struct Range {
  double lo = NAN;
  double hi = NAN;

  bool empty() const { return !(lo <= hi); }
  void include(double value) {
    if (!std::isfinite(value)) return;
    lo = empty() ? value : std::min(lo, value);
    hi = std::isnan(hi) ? value : std::max(hi, value);
  }
  void include(const Range& other) {
    if (!other.empty()) {
      include(other.lo);
      include(other.hi);
    }
  }
};

struct Fonts {
  double title = 16;
  double label = 13;
  double tick = 11;
  double legend = 12;
};

// Smaller fonts for panels in a grid, where a full-size title would crowd the plot.
inline Fonts panel_fonts() { return {.title = 13, .label = 11.5, .tick = 10, .legend = 11}; }

// How a chart is drawn when it is one panel of a larger figure.
struct PanelOptions {
  Fonts fonts{};
  bool show_legend = true;
  bool show_x_label = true;
  bool show_y_label = true;
  std::optional<Range> y_range{};  // overrides the chart's own y extent (Grid's share_y)
};

// How far an axis reaches beyond its data.
enum class Extent {
  nice,    // out to the enclosing ticks: loss 0.02..0.93 → 0..1
  exact,   // exactly the data: a histogram's range, a contour's box, epochs 1..30
  padded,  // the data plus 4% on each side, so that scatter points do not sit on the frame
};

// Data → pixels on one axis; log axes map log10. Non-positive values on a log
// axis and non-finite values map to NaN, which the drawing code treats as a gap.
struct Scale {
  AxisTicks axis{};
  double from = 0;  // pixel position of axis.lo
  double to = 1;    // pixel position of axis.hi

  double operator()(double value) const;
};

struct FrameSpec {
  std::string title{};
  std::string x_label{};
  std::string y_label{};
  Range x_data{};
  Range y_data{};
  bool log_x = false;
  bool log_y = false;
  bool x_integer = false;  // x takes whole numbers only (epochs): no ticks between them
  Extent x_extent = Extent::exact;
  Extent y_extent = Extent::nice;
  double right_reserve = 0;   // pixels kept free right of the plot, e.g. for a colour bar
  double bottom_reserve = 0;  // pixels kept free under the x-axis label, e.g. for a legend
};

struct Frame {
  Box box{};   // the whole panel
  Box plot{};  // the plotting area inside the axes
  Scale x{};
  Scale y{};

  Point map(double data_x, double data_y) const { return {x(data_x), y(data_y)}; }
};

Frame layout_frame(const Box& box, const FrameSpec& spec, const PanelOptions& options);

// Light grid lines at the ticks; drawn first so that the data lies over them.
void draw_grid_lines(Svg& svg, const Frame& frame);

// Axis lines, tick marks, tick labels, axis labels and the title; drawn last.
void draw_axes(Svg& svg, const Frame& frame, const FrameSpec& spec, const PanelOptions& options);

// The parts of a polyline inside `box`: segments are cut at its edges, and
// non-finite points break the line. Far-away points (a diverging optimizer)
// are pulled in along their direction first so no coordinate overflows.
std::vector<std::vector<Point>> clip_polyline(const std::vector<Point>& line, const Box& box);

}  // namespace nnlab::report
