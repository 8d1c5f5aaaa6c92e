#pragma once
// Small multiples: rows × cols panels in one figure, each with its own title,
// under an overall title and one shared legend. Activation histograms per layer
// and per initialiser, accuracy curves over a 4 × 4 grid of hyperparameters.

#include <string>
#include <variant>
#include <vector>

#include "nnlab/report/contour.h"
#include "nnlab/report/decision_map.h"
#include "nnlab/report/histogram.h"
#include "nnlab/report/line_chart.h"
#include "nnlab/report/scatter.h"

namespace nnlab::report {

using Panel = std::variant<LineChart, Histogram, Contour, Scatter, DecisionMap>;

struct Grid {
  std::string title{};
  int rows = 0;  // 0: as many as the panels need
  int cols = 1;
  std::vector<Panel> panels{};  // row by row; missing ones leave their cells empty
  // One y extent for all panels (the union of theirs), so heights compare across panels.
  bool share_y = false;
  // Each panel keeps its own legend instead of one shared legend under the title:
  // for panels whose series differ (one optimizer per panel) rather than repeat.
  bool panel_legends = false;
  double panel_width = 300;
  double panel_height = 230;

  // Throws std::invalid_argument when the panels do not fit rows × cols.
  std::string render() const;
};

}  // namespace nnlab::report
