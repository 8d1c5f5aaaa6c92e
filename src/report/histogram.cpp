#include "nnlab/report/histogram.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>

#include "nnlab/report/palette.h"

namespace nnlab::report {

namespace {

template <typename T>
HistogramSeries count_into_bins(std::string name, std::span<const T> values, int bins, double lo, double hi) {
  if (bins < 1) throw std::invalid_argument("histogram '" + name + "' needs at least one bin");
  if (!(lo < hi)) {
    throw std::invalid_argument("histogram '" + name + "' has an empty range [" + format_number(lo) + ", " +
                                format_number(hi) + "]");
  }
  HistogramSeries series{.name = std::move(name), .counts = std::vector<double>(static_cast<size_t>(bins), 0.0)};
  const double scale = bins / (hi - lo);
  for (const T value : values) {
    const double v = static_cast<double>(value);
    if (!(v >= lo && v <= hi)) {
      ++series.outside;
      continue;
    }
    const auto bin = std::min(static_cast<size_t>((v - lo) * scale), static_cast<size_t>(bins - 1));
    series.counts[bin] += 1;
  }
  return series;
}

std::string color_of(const HistogramSeries& series, size_t index) {
  return series.color.empty() ? series_color(index) : series.color;
}

}  // namespace

HistogramSeries& Histogram::add_values(std::string name, std::span<const double> values, int bins) {
  series.push_back(count_into_bins(std::move(name), values, bins, lo, hi));
  return series.back();
}

HistogramSeries& Histogram::add_values(std::string name, std::span<const float> values, int bins) {
  series.push_back(count_into_bins(std::move(name), values, bins, lo, hi));
  return series.back();
}

HistogramSeries& Histogram::add_counts(std::string name, std::vector<double> counts) {
  series.push_back({.name = std::move(name), .counts = std::move(counts)});
  return series.back();
}

namespace {

// The bar heights as shown: counts or, with `fractions`, shares of all the series' values.
std::vector<double> heights(const HistogramSeries& series, bool fractions) {
  if (!fractions) return series.counts;
  const double total =
      std::accumulate(series.counts.begin(), series.counts.end(), 0.0) + static_cast<double>(series.outside);
  std::vector<double> shares = series.counts;
  for (double& share : shares) share = total > 0 ? share / total : 0;
  return shares;
}

}  // namespace

Range Histogram::y_extent() const {
  if (y_range) return *y_range;
  Range range;
  if (!log_y) range.include(0.0);
  for (const auto& s : series) {
    for (const double h : heights(s, fractions)) {
      if (!log_y || h > 0) range.include(h);
    }
  }
  return range;
}

std::vector<LegendEntry> Histogram::legend() const {
  std::vector<LegendEntry> entries;
  for (size_t i = 0; i < series.size(); ++i) {
    if (!series[i].name.empty()) {
      entries.push_back({.name = series[i].name, .color = color_of(series[i], i), .kind = LegendEntry::Kind::box});
    }
  }
  return entries;
}

void Histogram::draw(Svg& svg, const Box& box, const PanelOptions& options) const {
  FrameSpec spec{.title = title, .x_label = x_label, .y_label = y_label, .log_y = log_y};
  spec.x_data.include(lo);
  spec.x_data.include(hi);
  spec.y_data = y_extent();
  const Frame frame = layout_frame(box, spec, options);
  draw_grid_lines(svg, frame);

  std::vector<std::vector<Point>> occupied;
  const bool overlaid = series.size() > 1;
  for (size_t index = 0; index < series.size(); ++index) {
    const std::vector<double> bars = heights(series[index], fractions);
    if (bars.empty()) continue;
    const std::string color = color_of(series[index], index);
    const double bin_width = (hi - lo) / static_cast<double>(bars.size());
    const double base = frame.plot.bottom();
    // The outline of the bars as one step line, for overlaid series and for the legend's placement.
    std::vector<Point> outline;
    for (size_t b = 0; b < bars.size(); ++b) {
      const double left = frame.x(lo + bin_width * static_cast<double>(b));
      const double right = frame.x(lo + bin_width * static_cast<double>(b + 1));
      double top = frame.y(bars[b]);
      if (!std::isfinite(top)) top = base;  // an empty bin on a log axis
      top = std::clamp(top, frame.plot.y, base);
      outline.push_back({left, top});
      outline.push_back({right, top});
      if (!overlaid && top < base) {
        // White edges separate neighbouring bars while they are wide enough to show them.
        const StrokeStyle edge{.color = "#ffffff", .width = right - left > 4 ? 0.8 : 0};
        svg.rect({left, top, right - left, base - top}, color, right - left > 4 ? &edge : nullptr, 0.85);
      }
    }
    if (overlaid) {
      std::vector<Point> area = outline;
      std::string d = "M" + format_coordinate(area.front().x) + ',' + format_coordinate(base);
      for (const Point p : area) d += "L" + format_coordinate(p.x) + ',' + format_coordinate(p.y);
      d += "L" + format_coordinate(area.back().x) + ',' + format_coordinate(base) + "Z";
      svg.element("path", {{"d", d}, {"fill", color}, {"fill-opacity", "0.25"}, {"stroke", "none"}});
      svg.polylines({outline}, StrokeStyle{.color = color, .width = 1.6});
    }
    occupied.push_back(outline);
    // The area under the bars counts as occupied too, not just their tops.
    for (const Point p : outline) occupied.push_back({p, {p.x, base}});
  }

  size_t outside = 0;
  for (const auto& s : series) outside += s.outside;
  if (outside > 0) {
    const std::string note =
        std::to_string(outside) + " outside [" + format_number(lo) + ", " + format_number(hi) + "]";
    const Point at{frame.plot.right() - 4, frame.plot.y + options.fonts.tick * 0.8};
    svg.text(at, note, TextStyle{.size = options.fonts.tick * 0.95, .anchor = Anchor::end, .color = "#666666"});
    const double w = text_width(note, options.fonts.tick);
    occupied.push_back({{at.x - w, at.y}, {at.x, at.y}});
  }
  draw_axes(svg, frame, spec, options);
  if (options.show_legend) draw_legend(svg, legend(), frame.plot, occupied, options.fonts);
}

std::string Histogram::render() const {
  Svg svg(width, height);
  draw(svg, {0, 0, width, height}, PanelOptions{});
  return svg.str();
}

}  // namespace nnlab::report
