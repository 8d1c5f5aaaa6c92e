#pragma once
// Decision maps: what a classifier of 2-D points has learned, as TensorFlow Playground shows
// it. The plane is shaded by the predicted class, paler where the network is unsure; the
// decision boundary (where the most probable class changes) is drawn as a line, and the
// data points on top in their true class's colour, a wrong prediction ringed in black.

#include <string>
#include <vector>

#include "nnlab/report/axes.h"
#include "nnlab/report/legend.h"
#include "nnlab/report/svg.h"

namespace nnlab::report {

struct DecisionMap {
  std::string title{};
  std::string x_label = "x₁";
  std::string y_label = "x₂";
  double x_min = -1.5;
  double x_max = 1.5;
  double y_min = -1.5;
  double y_max = 1.5;
  // The class probabilities at (resolution + 1)² grid points, row by row from y_min, each
  // row from x_min: probabilities[(row * (resolution + 1) + col) * classes + k].
  int resolution = 0;
  int classes = 0;
  std::vector<double> probabilities{};
  std::vector<std::string> class_names{};  // for the legend; empty: "class 0", "class 1", ...
  // The data points, their true class, and whether the network gets each right.
  std::vector<double> xs{};
  std::vector<double> ys{};
  std::vector<int> labels{};
  std::vector<bool> correct{};  // empty: every point is drawn as right
  double width = 420;
  double height = 400;

  // The (resolution + 1)² grid points as x, y pairs, in the order of `probabilities`: what to
  // predict. Throws std::invalid_argument for a resolution below 2 or an empty box.
  std::vector<double> grid_points() const;

  // Throws std::invalid_argument when the probabilities, points or labels do not fit together.
  void validate() const;
  // The decision boundary in data coordinates: for each class (one for two classes), the
  // lines where its probability equals the largest of the others, from marching squares
  // over the grid.
  std::vector<std::vector<Point>> boundary() const;
  std::string render() const;
  void draw(Svg& svg, const Box& box, const PanelOptions& options) const;
  std::vector<LegendEntry> legend() const;
  Range y_extent() const { return Range{y_min, y_max}; }
};

}  // namespace nnlab::report
