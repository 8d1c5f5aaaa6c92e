#include "nnlab/report/decision_map.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "nnlab/report/contour.h"
#include "nnlab/report/palette.h"

namespace nnlab::report {

namespace {

// `color` ("#rrggbb") mixed with white: 0 is white, 1 the colour itself.
std::string tint(const std::string& color, double strength) {
  auto channel = [&](int offset) {
    const int value = std::stoi(color.substr(static_cast<size_t>(offset), 2), nullptr, 16);
    return static_cast<int>(std::lround(255 - (255 - value) * strength));
  };
  char out[8];
  std::snprintf(out, sizeof out, "#%02x%02x%02x", channel(1), channel(3), channel(5));
  return out;
}

// Shades of confidence: a handful, so that neighbouring cells of one shade merge into one
// rectangle and the file stays small.
constexpr int kShades = 5;

}  // namespace

std::vector<double> DecisionMap::grid_points() const {
  if (resolution < 2) throw std::invalid_argument("decision map resolution must be at least 2 cells per side");
  if (!(x_min < x_max) || !(y_min < y_max)) throw std::invalid_argument("decision map box is empty");
  std::vector<double> points;
  points.reserve(static_cast<size_t>(resolution + 1) * (resolution + 1) * 2);
  for (int row = 0; row <= resolution; ++row) {
    for (int col = 0; col <= resolution; ++col) {
      points.push_back(x_min + (x_max - x_min) * col / resolution);
      points.push_back(y_min + (y_max - y_min) * row / resolution);
    }
  }
  return points;
}

void DecisionMap::validate() const {
  grid_points();
  if (classes < 2) throw std::invalid_argument("decision map needs at least 2 classes");
  const size_t cells = static_cast<size_t>(resolution + 1) * (resolution + 1) * static_cast<size_t>(classes);
  if (probabilities.size() != cells) {
    throw std::invalid_argument("decision map has " + std::to_string(probabilities.size()) +
                                " probabilities; its grid needs " + std::to_string(cells));
  }
  if (xs.size() != ys.size() || xs.size() != labels.size() || (!correct.empty() && correct.size() != xs.size()))
    throw std::invalid_argument("decision map points: xs, ys, labels and correct differ in length");
  for (const int label : labels) {
    if (label < 0 || label >= classes)
      throw std::invalid_argument("decision map label " + std::to_string(label) + " is not a class");
  }
  if (!class_names.empty() && class_names.size() != static_cast<size_t>(classes))
    throw std::invalid_argument("decision map has " + std::to_string(class_names.size()) + " class names for " +
                                std::to_string(classes) + " classes");
}

void DecisionMap::draw(Svg& svg, const Box& box, const PanelOptions& options) const {
  validate();
  FrameSpec spec{.title = title, .x_label = x_label, .y_label = y_label, .y_extent = Extent::exact};
  spec.x_data = Range{x_min, x_max};
  spec.y_data = Range{y_min, y_max};
  const Frame frame = layout_frame(box, spec,
                                   PanelOptions{.fonts = options.fonts,
                                                .show_legend = options.show_legend,
                                                .show_x_label = options.show_x_label,
                                                .show_y_label = options.show_y_label});
  const int n = resolution + 1;
  const size_t k_count = static_cast<size_t>(classes);
  auto probability = [&](int row, int col, size_t k) {
    return probabilities[(static_cast<size_t>(row) * static_cast<size_t>(n) + static_cast<size_t>(col)) * k_count + k];
  };
  // Each grid point's cell, centred on it: the winning class, shaded by how sure it is
  // (chance, 1/classes, is white; certainty the class colour at 55%).
  auto shade = [&](int row, int col) {
    size_t best = 0;
    for (size_t k = 1; k < k_count; ++k) best = probability(row, col, k) > probability(row, col, best) ? k : best;
    const double chance = 1.0 / classes;
    const double sure = std::clamp((probability(row, col, best) - chance) / (1 - chance), 0.0, 1.0);
    const int level = static_cast<int>(std::lround(sure * (kShades - 1)));
    return static_cast<int>(best) * kShades + level;
  };
  const double cell_w = frame.plot.width / resolution, cell_h = frame.plot.height / resolution;
  // Without anti-aliasing, so that no seam shows between neighbouring cells.
  svg.begin_group({{"shape-rendering", "crispEdges"}});
  for (int row = 0; row < n; ++row) {
    const double top = std::max(frame.plot.y, frame.y(y_min + (y_max - y_min) * row / resolution) - cell_h / 2);
    const double bottom =
        std::min(frame.plot.bottom(), frame.y(y_min + (y_max - y_min) * row / resolution) + cell_h / 2);
    for (int col = 0; col < n;) {
      const int code = shade(row, col);
      int end = col + 1;
      while (end < n && shade(row, end) == code) ++end;
      const double left = std::max(frame.plot.x, frame.x(x_min + (x_max - x_min) * col / resolution) - cell_w / 2);
      const double right =
          std::min(frame.plot.right(), frame.x(x_min + (x_max - x_min) * (end - 1) / resolution) + cell_w / 2);
      const double strength = 0.12 + 0.43 * (code % kShades) / (kShades - 1.0);
      svg.rect({left, top, right - left, bottom - top},
               tint(series_color(static_cast<size_t>(code / kShades)), strength));
      col = end;
    }
  }
  svg.end_group();

  std::vector<std::vector<Point>> lines;
  for (const auto& line : boundary()) {
    std::vector<Point> mapped;
    for (const Point p : line) mapped.push_back(frame.map(p.x, p.y));
    for (auto& piece : clip_polyline(mapped, frame.plot)) lines.push_back(std::move(piece));
  }
  svg.polylines(lines, StrokeStyle{.color = "#222222", .width = 1.6});

  std::vector<std::vector<Point>> occupied(1);
  const StrokeStyle edge{.color = "#ffffff", .width = 0.8};
  const StrokeStyle wrong{.color = "#000000", .width = 1.6};
  for (size_t i = 0; i < xs.size(); ++i) {
    const Point p = frame.map(xs[i], ys[i]);
    if (!std::isfinite(p.x) || !std::isfinite(p.y) || !frame.plot.contains(p)) continue;
    const bool right = correct.empty() || correct[i];
    svg.circle(p, right ? 2.8 : 3.4, series_color(static_cast<size_t>(labels[i])), right ? &edge : &wrong);
    occupied.front().push_back(p);
  }
  draw_axes(svg, frame, spec, options);
  if (options.show_legend) draw_legend(svg, legend(), frame.plot, occupied, options.fonts);
}

std::vector<std::vector<Point>> DecisionMap::boundary() const {
  validate();
  const int n = resolution + 1;
  const auto k_count = static_cast<size_t>(classes);
  // contour_lines samples the same (resolution + 1)² points: each lookup finds its own.
  auto margin = [&](double x, double y, size_t k) {
    const int col =
        std::clamp(static_cast<int>(std::lround((x - x_min) / (x_max - x_min) * resolution)), 0, resolution);
    const int row =
        std::clamp(static_cast<int>(std::lround((y - y_min) / (y_max - y_min) * resolution)), 0, resolution);
    const double* p =
        &probabilities[(static_cast<size_t>(row) * static_cast<size_t>(n) + static_cast<size_t>(col)) * k_count];
    double others = 0;
    for (size_t j = 0; j < k_count; ++j) {
      if (j != k) others = std::max(others, p[j]);
    }
    return p[k] - others;
  };
  std::vector<std::vector<Point>> lines;
  for (size_t k = 0; k < (k_count == 2 ? 1 : k_count); ++k) {
    const Function2d f = [&, k](double x, double y) { return margin(x, y, k); };
    for (auto& line : contour_lines(f, x_min, x_max, y_min, y_max, resolution, 0.0)) lines.push_back(std::move(line));
  }
  return lines;
}

std::vector<LegendEntry> DecisionMap::legend() const {
  std::vector<LegendEntry> entries;
  for (int k = 0; k < classes; ++k) {
    entries.push_back({.name = class_names.empty() ? "class " + std::to_string(k) : class_names[static_cast<size_t>(k)],
                       .color = series_color(static_cast<size_t>(k)),
                       .kind = LegendEntry::Kind::marker});
  }
  if (!correct.empty() && std::find(correct.begin(), correct.end(), false) != correct.end())
    entries.push_back({.name = "misclassified", .color = "#000000", .kind = LegendEntry::Kind::hollow_marker});
  entries.push_back({.name = "decision boundary", .color = "#222222", .kind = LegendEntry::Kind::line});
  return entries;
}

std::string DecisionMap::render() const {
  Svg svg(width, height);
  draw(svg, {0, 0, width, height}, PanelOptions{});
  return svg.str();
}

}  // namespace nnlab::report
