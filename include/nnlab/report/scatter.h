#pragma once
// Scatter plots, chiefly of hyperparameter search trials: learning rate against
// weight decay on log axes, each trial coloured by its validation accuracy, the
// best trials ringed and the narrowed range to search next shaded.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "nnlab/report/axes.h"
#include "nnlab/report/legend.h"
#include "nnlab/report/svg.h"

namespace nnlab::report {

struct Scatter {
  std::string title{};
  std::string x_label{};
  std::string y_label{};
  bool log_x = false;
  bool log_y = false;
  std::vector<double> xs{};
  std::vector<double> ys{};
  // Optional, one per point: colours the points (viridis) and adds a colour bar.
  // A non-finite value (a diverged trial) is drawn as a grey cross.
  std::vector<double> values{};
  std::string value_label{};          // the colour bar's label, e.g. "validation accuracy"
  std::string name = "trials";        // legend name of the points; empty for no entry
  std::vector<size_t> highlighted{};  // indices of points to ring, e.g. the best trials
  std::string highlight_label = "best";
  // A shaded band over the x range, the y range, or (both set) the rectangle
  // where they meet: the suggested range for the next search.
  std::optional<Range> x_band{};
  std::optional<Range> y_band{};
  std::string band_label = "suggested range";
  std::optional<Range> x_range{};  // fixed extents instead of the data's
  std::optional<Range> y_range{};
  double width = 640;
  double height = 440;

  std::string render() const;
  void draw(Svg& svg, const Box& box, const PanelOptions& options) const;
  std::vector<LegendEntry> legend() const;
  Range y_extent() const;
};

}  // namespace nnlab::report
