#include "nnlab/report/contour.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <stdexcept>
#include <unordered_map>

#include "nnlab/report/palette.h"

namespace nnlab::report {

namespace {

// f sampled at the (n + 1)² corners of n × n cells.
struct SampleGrid {
  int n = 0;
  double x_min = 0, y_min = 0, dx = 0, dy = 0;
  std::vector<double> values;

  double at(int i, int j) const { return values[static_cast<size_t>(j) * (n + 1) + i]; }
  double x(int i) const { return x_min + dx * i; }
  double y(int j) const { return y_min + dy * j; }
};

SampleGrid sample(const Function2d& f, double x_min, double x_max, double y_min, double y_max, int resolution) {
  if (!f) throw std::invalid_argument("contour needs a function to draw");
  if (resolution < 2) throw std::invalid_argument("contour resolution must be at least 2 cells per side");
  if (!(x_min < x_max) || !(y_min < y_max)) throw std::invalid_argument("contour box is empty");
  SampleGrid grid{.n = resolution,
                  .x_min = x_min,
                  .y_min = y_min,
                  .dx = (x_max - x_min) / resolution,
                  .dy = (y_max - y_min) / resolution,
                  .values = {}};
  grid.values.resize(static_cast<size_t>(resolution + 1) * (resolution + 1));
  for (int j = 0; j <= resolution; ++j) {
    for (int i = 0; i <= resolution; ++i)
      grid.values[static_cast<size_t>(j) * (resolution + 1) + i] = f(grid.x(i), grid.y(j));
  }
  return grid;
}

// Each cell edge has an id; a horizontal edge starts at node (i, j) and runs
// to (i + 1, j), a vertical one runs to (i, j + 1). Segments meet where they share an edge.
int64_t edge_id(const SampleGrid& g, int i, int j, bool vertical) {
  return 2 * (static_cast<int64_t>(j) * (g.n + 1) + i) + (vertical ? 1 : 0);
}

Point edge_point(const SampleGrid& g, int64_t id, double level) {
  const bool vertical = id % 2 == 1;
  const int64_t node = id / 2;
  const int i = static_cast<int>(node % (g.n + 1));
  const int j = static_cast<int>(node / (g.n + 1));
  const double a = g.at(i, j);
  const double b = vertical ? g.at(i, j + 1) : g.at(i + 1, j);
  const double t = std::clamp((level - a) / (b - a), 0.0, 1.0);
  return vertical ? Point{g.x(i), g.y(j) + t * g.dy} : Point{g.x(i) + t * g.dx, g.y(j)};
}

std::vector<std::array<int64_t, 2>> marching_squares(const SampleGrid& g, double level) {
  std::vector<std::array<int64_t, 2>> segments;
  for (int j = 0; j < g.n; ++j) {
    for (int i = 0; i < g.n; ++i) {
      const std::array<double, 4> v = {g.at(i, j), g.at(i + 1, j), g.at(i + 1, j + 1), g.at(i, j + 1)};
      if (!std::all_of(v.begin(), v.end(), [](double value) { return std::isfinite(value); })) continue;
      std::array<bool, 4> above{};
      for (int k = 0; k < 4; ++k) above[k] = v[k] > level;
      // Edge k joins corner k and corner k + 1: bottom, right, top, left.
      const std::array<int64_t, 4> edges = {edge_id(g, i, j, false), edge_id(g, i + 1, j, true),
                                            edge_id(g, i, j + 1, false), edge_id(g, i, j, true)};
      std::vector<int> crossed;
      for (int k = 0; k < 4; ++k) {
        if (above[k] != above[(k + 1) % 4]) crossed.push_back(k);
      }
      if (crossed.size() == 2) {
        segments.push_back({edges[crossed[0]], edges[crossed[1]]});
      } else if (crossed.size() == 4) {
        // A saddle cell: the centre's side decides which corners the line cuts off.
        const bool centre_above = (v[0] + v[1] + v[2] + v[3]) / 4 > level;
        for (int k = 0; k < 4; ++k) {
          if (above[k] != centre_above) segments.push_back({edges[(k + 3) % 4], edges[k]});
        }
      }
    }
  }
  return segments;
}

}  // namespace

std::vector<std::vector<Point>> contour_lines(const Function2d& f, double x_min, double x_max, double y_min,
                                              double y_max, int resolution, double level) {
  const SampleGrid grid = sample(f, x_min, x_max, y_min, y_max, resolution);
  const auto segments = marching_squares(grid, level);
  std::unordered_map<int64_t, std::vector<size_t>> at_edge;
  for (size_t s = 0; s < segments.size(); ++s) {
    at_edge[segments[s][0]].push_back(s);
    at_edge[segments[s][1]].push_back(s);
  }
  std::vector<bool> used(segments.size(), false);
  std::vector<std::vector<Point>> lines;
  auto walk = [&](size_t first, int64_t start_edge) {
    std::vector<Point> line{edge_point(grid, start_edge, level)};
    size_t segment = first;
    int64_t edge = start_edge;
    while (true) {
      used[segment] = true;
      edge = segments[segment][0] == edge ? segments[segment][1] : segments[segment][0];
      line.push_back(edge_point(grid, edge, level));
      const auto& next = at_edge[edge];
      const auto found = std::find_if(next.begin(), next.end(), [&](size_t s) { return !used[s]; });
      if (found == next.end()) break;
      segment = *found;
    }
    lines.push_back(std::move(line));
  };
  // Open lines start at an end (an edge with one segment, on the box's border); what is left are closed curves.
  for (size_t s = 0; s < segments.size(); ++s) {
    for (const int64_t end : segments[s]) {
      if (!used[s] && at_edge[end].size() == 1) walk(s, end);
    }
  }
  for (size_t s = 0; s < segments.size(); ++s) {
    if (!used[s]) walk(s, segments[s][0]);
  }
  return lines;
}

ContourPath& Contour::add_path(std::string name, std::vector<double> xs, std::vector<double> ys) {
  if (xs.size() != ys.size()) {
    throw std::invalid_argument("contour path '" + name + "' has " + std::to_string(xs.size()) + " x values but " +
                                std::to_string(ys.size()) + " y values");
  }
  paths.push_back({.name = std::move(name), .xs = std::move(xs), .ys = std::move(ys)});
  return paths.back();
}

std::vector<double> Contour::chosen_levels() const {
  if (!levels.empty()) return levels;
  const int n = std::max(1, level_count);
  const SampleGrid grid = sample(f, x_min, x_max, y_min, y_max, std::min(resolution, 80));
  std::vector<double> values;
  for (const double v : grid.values) {
    if (std::isfinite(v)) values.push_back(v);
  }
  if (values.empty()) return {};
  // A bowl (lowest sample inside the box, not on its edge) gets levels spaced
  // quadratically above its minimum, so that the rings are evenly spaced in
  // distance the way they are for x²/20 + y²; anything else (a saddle, a slope)
  // gets levels at evenly spaced quantiles, which share the area out evenly.
  const auto lowest = std::min_element(grid.values.begin(), grid.values.end(), [](double a, double b) {
    return std::isfinite(a) && (!std::isfinite(b) || a < b);
  });
  const auto lowest_index = static_cast<int>(lowest - grid.values.begin());
  const int i_low = lowest_index % (grid.n + 1);
  const int j_low = lowest_index / (grid.n + 1);
  const bool bowl = i_low > 0 && i_low < grid.n && j_low > 0 && j_low < grid.n;
  std::sort(values.begin(), values.end());
  std::vector<double> chosen;
  for (int k = 0; k < n; ++k) {
    const double share = static_cast<double>(k + 1) / (n + 1);
    const double value = bowl ? values.front() + (values.back() - values.front()) * share * share
                              : values[static_cast<size_t>((k + 0.5) / n * static_cast<double>(values.size() - 1))];
    const double rounded = value == 0 ? 0 : std::stod(format_number(value, 2));
    if (chosen.empty() || rounded != chosen.back()) chosen.push_back(rounded);
  }
  return chosen;
}

std::vector<LegendEntry> Contour::legend() const {
  std::vector<LegendEntry> entries;
  for (size_t i = 0; i < paths.size(); ++i) {
    const auto& path = paths[i];
    if (path.name.empty()) continue;
    entries.push_back({.name = path.name,
                       .color = path.color.empty() ? series_color(i) : path.color,
                       .kind = path.markers ? LegendEntry::Kind::line_marker : LegendEntry::Kind::line});
  }
  if (!paths.empty()) {
    entries.push_back({.name = "start", .color = "#333333", .kind = LegendEntry::Kind::hollow_marker});
    entries.push_back({.name = "end", .color = "#333333", .kind = LegendEntry::Kind::square_marker});
  }
  return entries;
}

void Contour::draw(Svg& svg, const Box& box, const PanelOptions& options) const {
  FrameSpec spec{.title = title, .x_label = x_label, .y_label = y_label, .y_extent = Extent::exact};
  spec.x_data = Range{x_min, x_max};
  spec.y_data = options.y_range ? *options.y_range : Range{y_min, y_max};
  const Frame frame = layout_frame(box, spec,
                                   PanelOptions{.fonts = options.fonts,
                                                .show_legend = options.show_legend,
                                                .show_x_label = options.show_x_label,
                                                .show_y_label = options.show_y_label});
  // Contour lines in greys, darker towards low values, so that the valley reads
  // at a glance and the coloured paths stand out on top.
  const std::vector<double> chosen = chosen_levels();
  for (size_t k = 0; k < chosen.size(); ++k) {
    const double t = chosen.size() > 1 ? static_cast<double>(k) / static_cast<double>(chosen.size() - 1) : 0.5;
    std::vector<std::vector<Point>> pixels;
    for (const auto& line : contour_lines(f, x_min, x_max, y_min, y_max, resolution, chosen[k])) {
      std::vector<Point> mapped;
      for (const Point p : line) mapped.push_back(frame.map(p.x, p.y));
      for (auto& piece : clip_polyline(mapped, frame.plot)) pixels.push_back(std::move(piece));
    }
    svg.polylines(pixels, StrokeStyle{.color = grey(0.4 + 0.42 * t), .width = 1});
  }

  std::vector<std::vector<Point>> occupied;
  for (size_t index = 0; index < paths.size(); ++index) {
    const ContourPath& path = paths[index];
    const std::string color = path.color.empty() ? series_color(index) : path.color;
    std::vector<Point> points;
    for (size_t i = 0; i < std::min(path.xs.size(), path.ys.size()); ++i)
      points.push_back(frame.map(path.xs[i], path.ys[i]));
    const auto pieces = clip_polyline(points, frame.plot);
    svg.polylines(pieces, StrokeStyle{.color = color, .width = 1.8});
    occupied.insert(occupied.end(), pieces.begin(), pieces.end());
    auto visible = [&](Point p) { return std::isfinite(p.x) && std::isfinite(p.y) && frame.plot.contains(p); };
    if (path.markers) {
      for (const Point p : points) {
        if (visible(p)) svg.circle(p, 2.3, color);
      }
    }
    if (!points.empty() && visible(points.front())) {
      const StrokeStyle ring{.color = color, .width = 2};
      svg.circle(points.front(), 5, "#ffffff", &ring);
    }
    if (points.size() > 1 && visible(points.back())) {
      const StrokeStyle edge{.color = "#ffffff", .width = 1};
      svg.rect({points.back().x - 4.5, points.back().y - 4.5, 9, 9}, color, &edge);
    }
  }
  for (const auto& point : points) {
    const Point p = frame.map(point.x, point.y);
    if (!std::isfinite(p.x) || !std::isfinite(p.y) || !frame.plot.contains(p)) continue;
    const StrokeStyle cross{.color = "#111111", .width = 2};
    svg.line({p.x - 6, p.y}, {p.x + 6, p.y}, cross);
    svg.line({p.x, p.y - 6}, {p.x, p.y + 6}, cross);
    if (!point.label.empty()) {
      svg.text({p.x + 8, p.y - 7}, point.label, TextStyle{.size = options.fonts.tick, .color = "#111111"});
    }
    occupied.push_back({p});
  }
  draw_axes(svg, frame, spec, options);
  if (options.show_legend) draw_legend(svg, legend(), frame.plot, occupied, options.fonts);
}

std::string Contour::render() const {
  Svg svg(width, height);
  draw(svg, {0, 0, width, height}, PanelOptions{});
  return svg.str();
}

}  // namespace nnlab::report
