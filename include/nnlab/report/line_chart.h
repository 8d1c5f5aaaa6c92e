#pragma once
// Line charts: loss and accuracy curves, learning-rate schedules. Non-finite
// points (and non-positive ones on a log axis) break a line rather than end it,
// so a run that diverged for a few epochs still shows what came after.

#include <optional>
#include <string>
#include <vector>

#include "nnlab/report/axes.h"
#include "nnlab/report/legend.h"
#include "nnlab/report/svg.h"

namespace nnlab::report {

struct Series {
  std::string name{};
  std::vector<double> xs{};
  std::vector<double> ys{};
  bool dashed = false;
  bool markers = false;       // a dot at every point as well as the line
  bool markers_only = false;  // dots and no line
  std::string color{};        // empty: the palette colour of the series' position
  double line_width = 2;
};

// A vertical line across the plot with a label at its top: "early stop", "best epoch".
struct VerticalMarker {
  double x = 0;
  std::string label{};
  std::string color = "#555555";
};

// A horizontal reference line with a label at its right end: "chance", "target".
struct HorizontalMarker {
  double y = 0;
  std::string label{};
  std::string color = "#555555";
};

struct LineChart {
  std::string title{};
  std::string x_label{};
  std::string y_label{};
  bool log_x = false;
  bool log_y = false;
  std::vector<Series> series{};
  std::vector<VerticalMarker> vertical_markers{};
  std::vector<HorizontalMarker> horizontal_markers{};
  std::optional<Range> x_range{};  // fixed extents instead of the data's, e.g. accuracy 0..1
  std::optional<Range> y_range{};
  double width = 640;  // size of the standalone document, in pixels
  double height = 400;

  // Adds a series and returns it, so that `.dashed = true` and the like can follow.
  // Throws std::invalid_argument when xs and ys differ in length.
  Series& add(std::string name, std::vector<double> xs, std::vector<double> ys);
  // ys against x = 1, 2, …, n: one value per epoch.
  Series& add(std::string name, std::vector<double> ys);

  std::string render() const;
  void draw(Svg& svg, const Box& box, const PanelOptions& options) const;
  std::vector<LegendEntry> legend() const;
  // The y extent the chart would show by itself (y_range if set), for a Grid's share_y.
  Range y_extent() const;
};

}  // namespace nnlab::report
