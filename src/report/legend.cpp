#include "nnlab/report/legend.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace nnlab::report {

namespace {

constexpr double kSampleWidth = 22;
constexpr double kSampleGap = 6;
constexpr double kPadding = 7;

double row_height(const Fonts& fonts) { return fonts.legend * 1.45; }

double entry_width(const LegendEntry& entry, const Fonts& fonts) {
  return kSampleWidth + kSampleGap + text_width(entry.name, fonts.legend);
}

// The sample of an entry, `left` being the middle of its left end.
void draw_sample(Svg& svg, const LegendEntry& entry, Point left, const Fonts& fonts) {
  const Point middle{left.x + kSampleWidth / 2, left.y};
  const double size = fonts.legend * 0.3;
  const StrokeStyle stroke{.color = entry.color, .width = 2, .dash = entry.dash};
  switch (entry.kind) {
    case LegendEntry::Kind::line:
      svg.line(left, {left.x + kSampleWidth, left.y}, stroke);
      break;
    case LegendEntry::Kind::line_marker:
      svg.line(left, {left.x + kSampleWidth, left.y}, stroke);
      svg.circle(middle, size, entry.color);
      break;
    case LegendEntry::Kind::marker:
      svg.circle(middle, size, entry.color);
      break;
    case LegendEntry::Kind::hollow_marker: {
      const StrokeStyle ring{.color = entry.color, .width = 1.8};
      svg.circle(middle, size * 1.3, "#ffffff", &ring);
      break;
    }
    case LegendEntry::Kind::square_marker:
      svg.rect({middle.x - size * 1.2, middle.y - size * 1.2, size * 2.4, size * 2.4}, entry.color);
      break;
    case LegendEntry::Kind::cross: {
      const StrokeStyle thin{.color = entry.color, .width = 1.6};
      svg.line({middle.x - size, middle.y - size}, {middle.x + size, middle.y + size}, thin);
      svg.line({middle.x - size, middle.y + size}, {middle.x + size, middle.y - size}, thin);
      break;
    }
    case LegendEntry::Kind::box:
      svg.rect({left.x + 4, left.y - fonts.legend * 0.4, kSampleWidth - 8, fonts.legend * 0.8}, entry.color);
      break;
    case LegendEntry::Kind::band: {
      const StrokeStyle edge{.color = entry.color, .width = 1, .dash = "3 2"};
      svg.rect({left.x + 2, left.y - fonts.legend * 0.4, kSampleWidth - 4, fonts.legend * 0.8}, entry.color, &edge,
               0.18);
      break;
    }
  }
}

int covered_points(const Box& box, const std::vector<std::vector<Point>>& occupied) {
  const Box grown{box.x - 3, box.y - 3, box.width + 6, box.height + 6};
  int count = 0;
  for (const auto& line : occupied) {
    for (size_t i = 0; i < line.size(); ++i) {
      if (grown.contains(line[i])) ++count;
      if (i == 0) continue;
      // Sample the segment too: a line with few points still crosses the box.
      const Point a = line[i - 1];
      const Point b = line[i];
      const int steps = std::min(400, static_cast<int>(std::hypot(b.x - a.x, b.y - a.y) / 3));
      for (int s = 1; s < steps; ++s) {
        const double t = static_cast<double>(s) / steps;
        if (grown.contains({a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)})) ++count;
      }
    }
  }
  return count;
}

}  // namespace

namespace {

Box legend_box(const std::vector<LegendEntry>& entries, Point top_left, const Fonts& fonts) {
  const double height = static_cast<double>(entries.size()) * row_height(fonts) + 2 * kPadding - fonts.legend * 0.3;
  return {top_left.x, top_left.y, legend_width(entries, fonts), height};
}

// The place inside `plot` that hides the fewest points of `occupied`, and how many it hides.
std::pair<Box, int> best_place(const std::vector<LegendEntry>& entries, const Box& plot,
                               const std::vector<std::vector<Point>>& occupied, const Fonts& fonts) {
  const Box size = legend_box(entries, {0, 0}, fonts);
  const double margin = 6;
  const double left = plot.x + margin;
  const double right = plot.right() - margin - size.width;
  const double centre = plot.x + (plot.width - size.width) / 2;
  const double top = plot.y + margin;
  const double bottom = plot.bottom() - margin - size.height;
  // In order of preference when they hide equally little.
  const Point candidates[] = {{right, top},   {left, top},   {right, bottom},
                              {left, bottom}, {centre, top}, {centre, bottom}};
  Box best{right, top, size.width, size.height};
  int best_count = std::numeric_limits<int>::max();
  for (const Point corner : candidates) {
    const Box box{corner.x, corner.y, size.width, size.height};
    const int count = covered_points(box, occupied);
    if (count < best_count) {
      best_count = count;
      best = box;
    }
  }
  return {best, best_count};
}

void draw_boxed(Svg& svg, const std::vector<LegendEntry>& entries, const Box& box, const Fonts& fonts) {
  const StrokeStyle border{.color = "#cccccc", .width = 1};
  svg.rect(box, "#ffffff", &border, 0.88);
  const TextStyle text{.size = fonts.legend, .middle = true, .color = "#222222"};
  for (size_t i = 0; i < entries.size(); ++i) {
    const double y = box.y + kPadding + fonts.legend * 0.55 + static_cast<double>(i) * row_height(fonts);
    draw_sample(svg, entries[i], {box.x + kPadding, y}, fonts);
    svg.text({box.x + kPadding + kSampleWidth + kSampleGap, y}, entries[i].name, text);
  }
}

}  // namespace

double legend_width(const std::vector<LegendEntry>& entries, const Fonts& fonts) {
  double width = 0;
  for (const auto& entry : entries) width = std::max(width, entry_width(entry, fonts));
  return width + 2 * kPadding;
}

bool legend_fits_inside(const std::vector<LegendEntry>& entries, const Box& plot,
                        const std::vector<std::vector<Point>>& occupied, const Fonts& fonts) {
  return entries.empty() || best_place(entries, plot, occupied, fonts).second == 0;
}

void draw_legend(Svg& svg, const std::vector<LegendEntry>& entries, const Box& plot,
                 const std::vector<std::vector<Point>>& occupied, const Fonts& fonts) {
  if (entries.empty()) return;
  draw_boxed(svg, entries, best_place(entries, plot, occupied, fonts).first, fonts);
}

void draw_legend_at(Svg& svg, const std::vector<LegendEntry>& entries, Point top_left, const Fonts& fonts) {
  if (entries.empty()) return;
  draw_boxed(svg, entries, legend_box(entries, top_left, fonts), fonts);
}

namespace {

// Entries split into rows that fit `width`, each row with its total width.
std::vector<std::pair<std::vector<size_t>, double>> legend_rows(const std::vector<LegendEntry>& entries, double width,
                                                                const Fonts& fonts) {
  const double spacing = fonts.legend * 1.5;
  std::vector<std::pair<std::vector<size_t>, double>> rows;
  for (size_t i = 0; i < entries.size(); ++i) {
    const double w = entry_width(entries[i], fonts);
    if (rows.empty() || rows.back().second + spacing + w > width) {
      rows.push_back({{i}, w});
    } else {
      rows.back().first.push_back(i);
      rows.back().second += spacing + w;
    }
  }
  return rows;
}

}  // namespace

double legend_rows_height(const std::vector<LegendEntry>& entries, double width, const Fonts& fonts) {
  return static_cast<double>(legend_rows(entries, width, fonts).size()) * row_height(fonts);
}

void draw_legend_rows(Svg& svg, const std::vector<LegendEntry>& entries, const Box& area, const Fonts& fonts) {
  const double spacing = fonts.legend * 1.5;
  const TextStyle text{.size = fonts.legend, .middle = true, .color = "#222222"};
  double y = area.y + row_height(fonts) / 2;
  for (const auto& [members, total] : legend_rows(entries, area.width, fonts)) {
    double x = area.x + (area.width - total) / 2;
    for (const size_t i : members) {
      draw_sample(svg, entries[i], {x, y}, fonts);
      svg.text({x + kSampleWidth + kSampleGap, y}, entries[i].name, text);
      x += entry_width(entries[i], fonts) + spacing;
    }
    y += row_height(fonts);
  }
}

void merge_legend(std::vector<LegendEntry>& into, const std::vector<LegendEntry>& from) {
  for (const auto& entry : from) {
    const bool known =
        std::any_of(into.begin(), into.end(), [&](const LegendEntry& e) { return e.name == entry.name; });
    if (!known) into.push_back(entry);
  }
}

}  // namespace nnlab::report
