#include "nnlab/report/line_chart.h"

#include <algorithm>
#include <stdexcept>

#include "nnlab/report/palette.h"

namespace nnlab::report {

namespace {

std::string color_of(const Series& series, size_t index) {
  return series.color.empty() ? series_color(index) : series.color;
}

std::string dash_of(const Series& series, size_t index) { return series.dashed ? "6 4" : series_dash(index); }

void check_lengths(const Series& series) {
  if (series.xs.size() != series.ys.size()) {
    throw std::invalid_argument("line chart series '" + series.name + "' has " + std::to_string(series.xs.size()) +
                                " x values but " + std::to_string(series.ys.size()) + " y values");
  }
}

bool usable(double value, bool log) { return std::isfinite(value) && (!log || value > 0); }

// Labels of vertical markers sit along the top of the plot; one that would
// overlap an earlier one moves down a row (best epoch and early stop are often close).
void draw_vertical_markers(Svg& svg, const Frame& frame, const std::vector<VerticalMarker>& markers,
                           const Fonts& fonts) {
  const Box& p = frame.plot;
  std::vector<std::vector<std::pair<double, double>>> rows;  // occupied [left, right] spans per row
  std::vector<size_t> order(markers.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return markers[a].x < markers[b].x; });
  const double size = fonts.tick;
  for (const size_t i : order) {
    const VerticalMarker& marker = markers[i];
    const double x = frame.x(marker.x);
    if (!std::isfinite(x) || x < p.x - 0.5 || x > p.right() + 0.5) continue;
    svg.line({x, p.y}, {x, p.bottom()}, StrokeStyle{.color = marker.color, .width = 1.3, .dash = "5 3"});
    if (marker.label.empty()) continue;
    const double w = text_width(marker.label, size);
    const bool to_right = x + 4 + w <= p.right();
    const double left = to_right ? x + 4 : x - 4 - w;
    size_t row = 0;
    for (; row < rows.size(); ++row) {
      const bool clash = std::any_of(rows[row].begin(), rows[row].end(), [&](const auto& span) {
        return left < span.second + 4 && left + w > span.first - 4;
      });
      if (!clash) break;
    }
    if (row == rows.size()) rows.emplace_back();
    rows[row].push_back({left, left + w});
    const double y = p.y + 4 + size * 0.5 + static_cast<double>(row) * size * 1.4;
    svg.rect({left - 2, y - size * 0.6, w + 4, size * 1.2}, "#ffffff", nullptr, 0.8);
    svg.text({left, y}, marker.label, TextStyle{.size = size, .middle = true, .color = marker.color});
  }
}

void draw_horizontal_markers(Svg& svg, const Frame& frame, const std::vector<HorizontalMarker>& markers,
                             const Fonts& fonts) {
  const Box& p = frame.plot;
  for (const auto& marker : markers) {
    const double y = frame.y(marker.y);
    if (!std::isfinite(y) || y < p.y - 0.5 || y > p.bottom() + 0.5) continue;
    svg.line({p.x, y}, {p.right(), y}, StrokeStyle{.color = marker.color, .width = 1.3, .dash = "5 3"});
    if (marker.label.empty()) continue;
    // Above the line unless that leaves the plot.
    const double label_y = y - fonts.tick * 0.5 - 2 > p.y + fonts.tick ? y - fonts.tick * 0.5 - 2 : y + fonts.tick;
    svg.text({p.right() - 4, label_y}, marker.label,
             TextStyle{.size = fonts.tick, .anchor = Anchor::end, .middle = true, .color = marker.color});
  }
}

}  // namespace

Series& LineChart::add(std::string name, std::vector<double> xs, std::vector<double> ys) {
  Series s{.name = std::move(name), .xs = std::move(xs), .ys = std::move(ys)};
  check_lengths(s);
  series.push_back(std::move(s));
  return series.back();
}

Series& LineChart::add(std::string name, std::vector<double> ys) {
  std::vector<double> xs(ys.size());
  for (size_t i = 0; i < xs.size(); ++i) xs[i] = static_cast<double>(i + 1);
  return add(std::move(name), std::move(xs), std::move(ys));
}

Range LineChart::y_extent() const {
  if (y_range) return *y_range;
  Range range;
  for (const auto& s : series) {
    for (size_t i = 0; i < std::min(s.xs.size(), s.ys.size()); ++i) {
      if (usable(s.xs[i], log_x) && usable(s.ys[i], log_y)) range.include(s.ys[i]);
    }
  }
  for (const auto& marker : horizontal_markers) {
    if (usable(marker.y, log_y)) range.include(marker.y);
  }
  return range;
}

std::vector<LegendEntry> LineChart::legend() const {
  std::vector<LegendEntry> entries;
  for (size_t i = 0; i < series.size(); ++i) {
    const Series& s = series[i];
    if (s.name.empty()) continue;  // an unnamed series needs no legend entry
    const auto kind = s.markers_only ? LegendEntry::Kind::marker
                      : s.markers    ? LegendEntry::Kind::line_marker
                                     : LegendEntry::Kind::line;
    entries.push_back({.name = s.name, .color = color_of(s, i), .kind = kind, .dash = dash_of(s, i)});
  }
  return entries;
}

void LineChart::draw(Svg& svg, const Box& box, const PanelOptions& options) const {
  FrameSpec spec{.title = title, .x_label = x_label, .y_label = y_label, .log_x = log_x, .log_y = log_y};
  if (x_range) {
    spec.x_data = *x_range;
  } else {
    for (const auto& s : series) {
      check_lengths(s);
      for (size_t i = 0; i < s.xs.size(); ++i) {
        if (usable(s.xs[i], log_x) && usable(s.ys[i], log_y)) spec.x_data.include(s.xs[i]);
      }
    }
    for (const auto& marker : vertical_markers) {
      if (usable(marker.x, log_x)) spec.x_data.include(marker.x);
    }
  }
  spec.x_integer = std::all_of(series.begin(), series.end(), [](const Series& s) {
    return std::all_of(s.xs.begin(), s.xs.end(), [](double x) { return !std::isfinite(x) || x == std::round(x); });
  });
  spec.y_data = y_extent();
  Frame frame = layout_frame(box, spec, options);
  // Each series' points in pixels; the lines and dots drawn of them are what a legend must not hide.
  const auto project = [&](const Frame& f) {
    std::vector<std::vector<Point>> points(series.size());
    for (size_t index = 0; index < series.size(); ++index) {
      const Series& s = series[index];
      check_lengths(s);
      points[index].resize(s.xs.size());
      for (size_t i = 0; i < s.xs.size(); ++i) points[index][i] = f.map(s.xs[i], s.ys[i]);
    }
    return points;
  };
  const auto isolated = [](const std::vector<Point>& points, size_t i) {
    // A point with no drawable neighbour would vanish from a line: it is shown as a dot.
    auto gap = [&](size_t j) { return !std::isfinite(points[j].x) || !std::isfinite(points[j].y); };
    return (i == 0 || gap(i - 1)) && (i + 1 == points.size() || gap(i + 1));
  };
  const auto drawn = [&](const Frame& f, const std::vector<std::vector<Point>>& points) {
    std::vector<std::vector<Point>> occupied;
    for (size_t index = 0; index < series.size(); ++index) {
      const Series& s = series[index];
      if (!s.markers_only) {
        const auto pieces = clip_polyline(points[index], f.plot);
        occupied.insert(occupied.end(), pieces.begin(), pieces.end());
      }
      for (size_t i = 0; i < points[index].size(); ++i) {
        const Point p = points[index][i];
        if (!std::isfinite(p.x) || !std::isfinite(p.y) || !f.plot.contains(p)) continue;
        if (s.markers || s.markers_only || isolated(points[index], i)) occupied.push_back({p});
      }
    }
    return occupied;
  };
  std::vector<std::vector<Point>> points = project(frame);
  const std::vector<LegendEntry> entries = options.show_legend ? legend() : std::vector<LegendEntry>{};
  constexpr double kLegendGap = 12;
  const bool legend_outside = !legend_fits_inside(entries, frame.plot, drawn(frame, points), options.fonts);
  if (legend_outside) {
    spec.right_reserve += legend_width(entries, options.fonts) + kLegendGap + 8;
    frame = layout_frame(box, spec, options);
    points = project(frame);
  }
  draw_grid_lines(svg, frame);
  draw_horizontal_markers(svg, frame, horizontal_markers, options.fonts);
  draw_vertical_markers(svg, frame, vertical_markers, options.fonts);

  for (size_t index = 0; index < series.size(); ++index) {
    const Series& s = series[index];
    const std::string color = color_of(s, index);
    if (!s.markers_only) {
      svg.polylines(clip_polyline(points[index], frame.plot),
                    StrokeStyle{.color = color, .width = s.line_width, .dash = dash_of(s, index)});
    }
    for (size_t i = 0; i < points[index].size(); ++i) {
      const Point p = points[index][i];
      if (!std::isfinite(p.x) || !std::isfinite(p.y) || !frame.plot.contains(p)) continue;
      if (s.markers || s.markers_only || isolated(points[index], i)) svg.circle(p, s.markers_only ? 3 : 2.5, color);
    }
  }
  draw_axes(svg, frame, spec, options);
  if (legend_outside) {
    draw_legend_at(svg, entries, {frame.plot.right() + kLegendGap, frame.plot.y}, options.fonts);
  } else {
    draw_legend(svg, entries, frame.plot, drawn(frame, points), options.fonts);
  }
}

std::string LineChart::render() const {
  Svg svg(width, height);
  draw(svg, {0, 0, width, height}, PanelOptions{});
  return svg.str();
}

}  // namespace nnlab::report
