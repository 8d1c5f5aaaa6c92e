#pragma once
// Contour plots of a function of two variables with paths drawn over them:
// the classic picture of SGD, Momentum, AdaGrad and Adam walking down
// f(x, y) = x²/20 + y² or across the saddle x² − y².
// Contour lines come from marching squares over a grid of samples of f.

#include <functional>
#include <string>
#include <vector>

#include "nnlab/report/axes.h"
#include "nnlab/report/legend.h"
#include "nnlab/report/svg.h"

namespace nnlab::report {

using Function2d = std::function<double(double x, double y)>;

// The polylines (in data coordinates) where f equals `level`, from marching
// squares over resolution × resolution cells of the box. Lines are joined across
// cells; a closed curve ends at its own first point. Cells where f is not
// finite at a corner are left out.
std::vector<std::vector<Point>> contour_lines(const Function2d& f, double x_min, double x_max, double y_min,
                                              double y_max, int resolution, double level);

// An optimizer's trajectory: the points it visited, in order.
struct ContourPath {
  std::string name{};
  std::vector<double> xs{};
  std::vector<double> ys{};
  std::string color{};  // empty: the palette colour of its position
  bool markers = true;  // a dot at every step
};

// A point worth naming on the plot, e.g. the minimum.
struct LabelledPoint {
  double x = 0;
  double y = 0;
  std::string label{};
};

struct Contour {
  std::string title{};
  std::string x_label = "x";
  std::string y_label = "y";
  Function2d f{};
  double x_min = -10;
  double x_max = 10;
  double y_min = -10;
  double y_max = 10;
  int resolution = 160;          // grid cells per side
  std::vector<double> levels{};  // empty: level_count levels at quantiles of f over the box
  int level_count = 12;
  std::vector<ContourPath> paths{};
  std::vector<LabelledPoint> points{};
  double width = 600;
  double height = 480;

  // Throws std::invalid_argument when xs and ys differ in length.
  ContourPath& add_path(std::string name, std::vector<double> xs, std::vector<double> ys);

  // `levels` if given, else levels at evenly spaced quantiles of f over the box,
  // rounded to two significant digits: dense where f changes slowly, as the eye wants.
  std::vector<double> chosen_levels() const;

  std::string render() const;
  void draw(Svg& svg, const Box& box, const PanelOptions& options) const;
  std::vector<LegendEntry> legend() const;
  Range y_extent() const { return Range{y_min, y_max}; }
};

}  // namespace nnlab::report
