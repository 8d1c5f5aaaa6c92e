#include "nnlab/report/scatter.h"

#include <algorithm>
#include <stdexcept>

#include "nnlab/report/palette.h"

namespace nnlab::report {

namespace {

constexpr double kColorBarReserve = 78;
constexpr const char* kHighlightColor = "#000000";
constexpr const char* kBandColor = "#E69F00";
constexpr const char* kNotFiniteColor = "#999999";

bool usable(double value, bool log) { return std::isfinite(value) && (!log || value > 0); }

Range value_range(const std::vector<double>& values) {
  Range range;
  for (const double v : values) range.include(v);
  if (!range.empty() && range.lo == range.hi) {
    range.lo -= 0.5;
    range.hi += 0.5;
  }
  return range;
}

bool has_not_finite(const std::vector<double>& values) {
  return std::any_of(values.begin(), values.end(), [](double v) { return !std::isfinite(v); });
}

// A vertical viridis bar right of the plot, with ticks and its label.
void draw_color_bar(Svg& svg, const Frame& frame, const Range& range, const std::string& label, const Fonts& fonts) {
  const Box bar{frame.plot.right() + 18, frame.plot.y, 12, frame.plot.height};
  constexpr int kSteps = 48;
  for (int s = 0; s < kSteps; ++s) {
    const double t0 = static_cast<double>(s) / kSteps;
    // Slightly taller than a step so no hairline gaps show between the strips.
    svg.rect({bar.x, bar.bottom() - (t0 + 1.0 / kSteps) * bar.height, bar.width, bar.height / kSteps + 0.5},
             viridis(t0 + 0.5 / kSteps));
  }
  const StrokeStyle edge{.color = "#555555", .width = 0.8};
  svg.rect(bar, "none", &edge);
  std::vector<double> ticks = nice_ticks(range.lo, range.hi, 5);
  const double step = ticks.size() > 1 ? ticks[1] - ticks[0] : 1;
  for (const double t : ticks) {
    if (t < range.lo - 1e-9 * step || t > range.hi + 1e-9 * step) continue;
    const double y = bar.bottom() - (t - range.lo) / (range.hi - range.lo) * bar.height;
    svg.line({bar.right(), y}, {bar.right() + 3, y}, edge);
    svg.text({bar.right() + 5, y}, format_tick(t, step), TextStyle{.size = fonts.tick, .middle = true});
  }
  // The label above the bar, level, ending at its tick labels: written sideways beside the bar
  // it read as the y label of the panel to its right.
  if (!label.empty()) {
    const double right = frame.box.right() - 4;
    svg.text({right, bar.y - 8}, fit_text(label, fonts.tick, right - frame.plot.x - frame.plot.width / 2),
             TextStyle{.size = fonts.tick, .anchor = Anchor::end});
  }
}

}  // namespace

Range Scatter::y_extent() const {
  if (y_range) return *y_range;
  Range range;
  for (size_t i = 0; i < std::min(xs.size(), ys.size()); ++i) {
    if (usable(xs[i], log_x) && usable(ys[i], log_y)) range.include(ys[i]);
  }
  return range;
}

std::vector<LegendEntry> Scatter::legend() const {
  std::vector<LegendEntry> entries;
  if (!name.empty()) {
    entries.push_back(
        {.name = name, .color = values.empty() ? series_color(0) : viridis(0.55), .kind = LegendEntry::Kind::marker});
  }
  if (!highlighted.empty() && !highlight_label.empty()) {
    entries.push_back({.name = highlight_label, .color = kHighlightColor, .kind = LegendEntry::Kind::hollow_marker});
  }
  if ((x_band || y_band) && !band_label.empty()) {
    entries.push_back({.name = band_label, .color = kBandColor, .kind = LegendEntry::Kind::band});
  }
  if (has_not_finite(values)) {
    entries.push_back({.name = "not finite", .color = kNotFiniteColor, .kind = LegendEntry::Kind::cross});
  }
  return entries;
}

void Scatter::draw(Svg& svg, const Box& box, const PanelOptions& options) const {
  if (xs.size() != ys.size()) {
    throw std::invalid_argument("scatter '" + title + "' has " + std::to_string(xs.size()) + " x values but " +
                                std::to_string(ys.size()) + " y values");
  }
  if (!values.empty() && values.size() != xs.size()) {
    throw std::invalid_argument("scatter '" + title + "' has " + std::to_string(values.size()) + " colour values for " +
                                std::to_string(xs.size()) + " points");
  }
  const Range colors = value_range(values);
  const bool color_bar = !colors.empty();
  FrameSpec spec{.title = title,
                 .x_label = x_label,
                 .y_label = y_label,
                 .log_x = log_x,
                 .log_y = log_y,
                 .x_extent = Extent::padded,
                 .y_extent = Extent::padded,
                 .right_reserve = color_bar ? kColorBarReserve : 0};
  // Trials fill the plot, so no corner of it is free for the legend: it goes underneath.
  const std::vector<LegendEntry> entries = options.show_legend ? legend() : std::vector<LegendEntry>{};
  const double legend_height = entries.empty() ? 0 : legend_rows_height(entries, box.width - 16, options.fonts) + 6;
  spec.bottom_reserve = legend_height;
  if (x_range) {
    spec.x_data = *x_range;
  } else {
    for (size_t i = 0; i < xs.size(); ++i) {
      if (usable(xs[i], log_x) && usable(ys[i], log_y)) spec.x_data.include(xs[i]);
    }
  }
  spec.y_data = y_extent();
  if (x_range) spec.x_extent = Extent::exact;
  if (y_range || options.y_range) spec.y_extent = Extent::exact;
  const Frame frame = layout_frame(box, spec, options);
  draw_grid_lines(svg, frame);

  std::vector<std::vector<Point>> occupied;
  if (x_band || y_band) {
    const Box& p = frame.plot;
    auto span = [](const Scale& scale, const std::optional<Range>& band, double from, double to) {
      if (!band) return std::pair{from, to};
      const double a = std::clamp(scale(band->lo), std::min(from, to), std::max(from, to));
      const double b = std::clamp(scale(band->hi), std::min(from, to), std::max(from, to));
      return std::pair{std::min(a, b), std::max(a, b)};
    };
    const auto [left, right] = span(frame.x, x_band, p.x, p.right());
    const auto [top, bottom] = span(frame.y, y_band, p.y, p.bottom());
    const StrokeStyle edge{.color = kBandColor, .width = 1.2, .dash = "5 3"};
    svg.rect({left, top, right - left, bottom - top}, kBandColor, &edge, 0.16);
  }
  for (size_t i = 0; i < xs.size(); ++i) {
    const Point p = frame.map(xs[i], ys[i]);
    if (!std::isfinite(p.x) || !std::isfinite(p.y) || !frame.plot.contains(p)) continue;
    occupied.push_back({p});
    if (!values.empty() && !std::isfinite(values[i])) {
      const StrokeStyle cross{.color = kNotFiniteColor, .width = 1.6};
      svg.line({p.x - 3.5, p.y - 3.5}, {p.x + 3.5, p.y + 3.5}, cross);
      svg.line({p.x - 3.5, p.y + 3.5}, {p.x + 3.5, p.y - 3.5}, cross);
      continue;
    }
    const std::string fill =
        values.empty() ? series_color(0) : viridis((values[i] - colors.lo) / (colors.hi - colors.lo));
    const StrokeStyle edge{.color = "#ffffff", .width = 0.7};
    svg.circle(p, 4.2, fill, &edge);
  }
  for (const size_t i : highlighted) {
    if (i >= xs.size()) continue;
    const Point p = frame.map(xs[i], ys[i]);
    if (!std::isfinite(p.x) || !std::isfinite(p.y) || !frame.plot.contains(p)) continue;
    const StrokeStyle ring{.color = kHighlightColor, .width = 1.8};
    svg.circle(p, 7.5, "none", &ring);
  }
  draw_axes(svg, frame, spec, options);
  if (color_bar) draw_color_bar(svg, frame, colors, value_label, options.fonts);
  if (!entries.empty()) {
    draw_legend_rows(svg, entries, {box.x + 8, box.bottom() - 6 - legend_height, box.width - 16, legend_height},
                     options.fonts);
  }
}

std::string Scatter::render() const {
  Svg svg(width, height);
  draw(svg, {0, 0, width, height}, PanelOptions{});
  return svg.str();
}

}  // namespace nnlab::report
