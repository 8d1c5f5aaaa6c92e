#include "nnlab/report/axes.h"

#include <algorithm>

namespace nnlab::report {

namespace {

constexpr double kPad = 8;
constexpr double kTickLength = 4;
constexpr const char* kAxisColor = "#555555";
constexpr const char* kGridColor = "#e4e4e4";
constexpr const char* kMinorGridColor = "#f2f2f2";

bool within(double value, double lo, double hi) {
  const double eps = 1e-9 * std::max(std::abs(lo), std::abs(hi));
  return value >= lo - eps && value <= hi + eps;
}

// Keeps the ticks inside [lo, hi] and makes those the axis ends; when too few
// decades fall inside a short log range, labels 2× and 5× (or every minor tick) instead.
void restrict_to(AxisTicks& axis, double lo, double hi) {
  AxisTicks kept{.lo = lo, .hi = hi, .log = axis.log, .ticks = {}, .labels = {}, .minor_ticks = {}};
  for (size_t i = 0; i < axis.ticks.size(); ++i) {
    if (within(axis.ticks[i], lo, hi)) {
      kept.ticks.push_back(axis.ticks[i]);
      kept.labels.push_back(axis.labels[i]);
    }
  }
  for (const double t : axis.minor_ticks) {
    if (within(t, lo, hi)) kept.minor_ticks.push_back(t);
  }
  if (axis.log && kept.ticks.size() < 2) {
    for (const bool only_1_2_5 : {true, false}) {
      std::vector<double> labelled = kept.ticks;
      for (const double t : kept.minor_ticks) {
        const double mantissa = std::round(t / std::pow(10.0, std::floor(std::log10(t) + 1e-9)));
        if (!only_1_2_5 || mantissa == 2 || mantissa == 5) labelled.push_back(t);
      }
      if (labelled.size() >= 2 || !only_1_2_5) {
        std::sort(labelled.begin(), labelled.end());
        kept.ticks = labelled;
        kept.labels.clear();
        for (const double t : labelled) kept.labels.push_back(format_number(t));
        break;
      }
    }
  }
  axis = kept;
}

AxisTicks axis_for(const Range& data, bool log, Extent extent, int target, bool integer = false) {
  double lo = data.lo;
  double hi = data.hi;
  if (data.empty() || (log && !(lo > 0))) {
    lo = log ? 1e-3 : 0;
    hi = 1;
  }
  if (hi <= lo) {
    if (log) {
      lo /= 2;
      hi *= 2;
    } else {
      const double half = lo == 0 ? 1 : std::abs(lo) * 0.1;
      lo -= half;
      hi += half;
    }
  }
  if (extent == Extent::padded) {
    if (log) {
      const double ratio = std::pow(hi / lo, 0.04);
      lo /= ratio;
      hi *= ratio;
    } else {
      const double margin = (hi - lo) * 0.04;
      lo -= margin;
      hi += margin;
    }
  }
  // Whole-number data (epochs) gets whole-number steps: never a tick at epoch 2.5.
  if (integer && !log) target = std::clamp(static_cast<int>(hi - lo), 1, target);
  AxisTicks axis = make_axis(lo, hi, log, target);
  if (extent != Extent::nice) restrict_to(axis, lo, hi);
  return axis;
}

double widest(const std::vector<std::string>& labels, double font_size) {
  double width = 0;
  for (const auto& label : labels) width = std::max(width, text_width(label, font_size));
  return width;
}

// Whether neighbouring x tick labels would touch.
bool labels_collide(const AxisTicks& axis, const Scale& scale, double font_size) {
  for (size_t i = 1; i < axis.ticks.size(); ++i) {
    const double gap = std::abs(scale(axis.ticks[i]) - scale(axis.ticks[i - 1]));
    const double needed =
        (text_width(axis.labels[i], font_size) + text_width(axis.labels[i - 1], font_size)) / 2 + font_size * 0.8;
    if (gap < needed) return true;
  }
  return false;
}

}  // namespace

double Scale::operator()(double value) const {
  double t = 0;
  if (axis.log) {
    if (!(value > 0) || !std::isfinite(value)) return NAN;
    t = (std::log10(value) - std::log10(axis.lo)) / (std::log10(axis.hi) - std::log10(axis.lo));
  } else {
    if (!std::isfinite(value)) return NAN;
    t = (value - axis.lo) / (axis.hi - axis.lo);
  }
  return from + t * (to - from);
}

Frame layout_frame(const Box& box, const FrameSpec& spec, const PanelOptions& options) {
  const Fonts& f = options.fonts;
  // Space for axis labels is kept even where a grid hides them, so that panels line up.
  const bool x_label = !spec.x_label.empty();
  const bool y_label = !spec.y_label.empty();
  Frame frame;
  frame.box = box;
  const double top = box.y + kPad + (spec.title.empty() ? 4 : f.title * 1.6);
  const double bottom =
      box.bottom() - kPad - (kTickLength + 3 + f.tick) - (x_label ? f.label + 8 : 0) - spec.bottom_reserve;

  const Range y_data = options.y_range ? *options.y_range : spec.y_data;
  const int y_target = std::clamp(static_cast<int>((bottom - top) / 50), 3, 8);
  frame.y.axis = axis_for(y_data, spec.log_y, spec.y_extent, y_target);
  frame.y.from = bottom;
  frame.y.to = top;

  const double left =
      box.x + kPad + (y_label ? f.label * 1.25 + 4 : 0) + widest(frame.y.axis.labels, f.tick) + kTickLength + 4;
  double right = box.right() - kPad - spec.right_reserve;
  int x_target = std::clamp(static_cast<int>((right - left) / 70), 4, 10);
  for (;; --x_target) {
    frame.x.axis = axis_for(spec.x_data, spec.log_x, spec.x_extent, x_target, spec.x_integer);
    // The last tick label is centred on its tick and may reach past the plot's right edge.
    const double overhang = frame.x.axis.labels.empty() ? 0 : text_width(frame.x.axis.labels.back(), f.tick) / 2;
    right = box.right() - std::max(kPad + 6, overhang + 4) - spec.right_reserve;
    frame.x.from = left;
    frame.x.to = right;
    if (x_target <= 2 || !labels_collide(frame.x.axis, frame.x, f.tick)) break;
  }
  frame.plot = {left, top, std::max(1.0, right - left), std::max(1.0, bottom - top)};
  return frame;
}

void draw_grid_lines(Svg& svg, const Frame& frame) {
  const Box& p = frame.plot;
  const StrokeStyle major{.color = kGridColor, .width = 1};
  const StrokeStyle minor{.color = kMinorGridColor, .width = 1};
  // Minor grid lines help to read values off one to three decades; over more they are only clutter.
  auto few_decades = [](const AxisTicks& axis) { return axis.log && axis.hi / axis.lo <= 1.001e3; };
  if (few_decades(frame.x.axis)) {
    for (const double t : frame.x.axis.minor_ticks) svg.line({frame.x(t), p.y}, {frame.x(t), p.bottom()}, minor);
  }
  if (few_decades(frame.y.axis)) {
    for (const double t : frame.y.axis.minor_ticks) svg.line({p.x, frame.y(t)}, {p.right(), frame.y(t)}, minor);
  }
  for (const double t : frame.x.axis.ticks) {
    const double x = frame.x(t);
    if (std::abs(x - p.x) > 0.5) svg.line({x, p.y}, {x, p.bottom()}, major);
  }
  for (const double t : frame.y.axis.ticks) {
    const double y = frame.y(t);
    if (std::abs(y - p.bottom()) > 0.5) svg.line({p.x, y}, {p.right(), y}, major);
  }
}

void draw_axes(Svg& svg, const Frame& frame, const FrameSpec& spec, const PanelOptions& options) {
  const Fonts& f = options.fonts;
  const Box& p = frame.plot;
  const StrokeStyle axis{.color = kAxisColor, .width = 1};
  svg.line({p.x, p.bottom()}, {p.right(), p.bottom()}, axis);
  svg.line({p.x, p.y}, {p.x, p.bottom()}, axis);

  const TextStyle tick_text{.size = f.tick, .anchor = Anchor::middle, .color = "#333333"};
  for (size_t i = 0; i < frame.x.axis.ticks.size(); ++i) {
    const double x = frame.x(frame.x.axis.ticks[i]);
    svg.line({x, p.bottom()}, {x, p.bottom() + kTickLength}, axis);
    svg.text({x, p.bottom() + kTickLength + 2 + f.tick * 0.9}, frame.x.axis.labels[i], tick_text);
  }
  for (const double t : frame.x.axis.minor_ticks) {
    svg.line({frame.x(t), p.bottom()}, {frame.x(t), p.bottom() + kTickLength / 2}, axis);
  }
  TextStyle y_tick_text = tick_text;
  y_tick_text.anchor = Anchor::end;
  y_tick_text.middle = true;
  for (size_t i = 0; i < frame.y.axis.ticks.size(); ++i) {
    const double y = frame.y(frame.y.axis.ticks[i]);
    svg.line({p.x - kTickLength, y}, {p.x, y}, axis);
    svg.text({p.x - kTickLength - 3, y}, frame.y.axis.labels[i], y_tick_text);
  }
  for (const double t : frame.y.axis.minor_ticks) {
    svg.line({p.x - kTickLength / 2, frame.y(t)}, {p.x, frame.y(t)}, axis);
  }

  const TextStyle label_text{.size = f.label, .anchor = Anchor::middle, .color = "#222222"};
  if (options.show_x_label && !spec.x_label.empty()) {
    svg.text({p.x + p.width / 2, p.bottom() + kTickLength + 3 + f.tick + 8 + f.label * 0.8},
             fit_text(spec.x_label, f.label, frame.box.width - 2 * kPad), label_text);
  }
  if (options.show_y_label && !spec.y_label.empty()) {
    TextStyle rotated = label_text;
    rotated.rotate = -90;
    svg.text({frame.box.x + kPad + f.label * 0.85, p.y + p.height / 2},
             fit_text(spec.y_label, f.label, p.height + p.y - frame.box.y), rotated);
  }
  if (!spec.title.empty()) {
    const std::string title = fit_text(spec.title, f.title, frame.box.width - 2 * kPad);
    // Centred over the plot reads best, unless the title is wider than the plot.
    const double width = text_width(title, f.title);
    const double centre = width <= p.width ? p.x + p.width / 2 : frame.box.x + frame.box.width / 2;
    svg.text({centre, frame.box.y + kPad + f.title * 0.95}, title,
             TextStyle{.size = f.title, .anchor = Anchor::middle, .bold = true, .color = "#111111"});
  }
}

std::vector<std::vector<Point>> clip_polyline(const std::vector<Point>& line, const Box& box) {
  // Pixel coordinates past ±1e6 from the box centre are pulled in along the ray
  // from the centre: the part inside the box keeps its direction to within 1e-5 rad.
  const Point centre{box.x + box.width / 2, box.y + box.height / 2};
  auto tame = [&](Point p) {
    const double dx = p.x - centre.x;
    const double dy = p.y - centre.y;
    const double distance = std::hypot(dx, dy);
    if (distance <= 1e6) return p;
    const double s = 1e6 / distance;
    return Point{centre.x + dx * s, centre.y + dy * s};
  };
  std::vector<std::vector<Point>> pieces;
  std::vector<Point> current;
  auto flush = [&] {
    if (current.size() >= 2) pieces.push_back(current);
    current.clear();
  };
  for (size_t i = 1; i < line.size(); ++i) {
    const Point raw_a = line[i - 1];
    const Point raw_b = line[i];
    if (!std::isfinite(raw_a.x) || !std::isfinite(raw_a.y) || !std::isfinite(raw_b.x) || !std::isfinite(raw_b.y)) {
      flush();
      continue;
    }
    const Point a = tame(raw_a);
    const Point b = tame(raw_b);
    // Liang–Barsky: the parameter interval [t0, t1] of the segment inside the box.
    const double dx = b.x - a.x;
    const double dy = b.y - a.y;
    double t0 = 0;
    double t1 = 1;
    bool visible = true;
    const double p[4] = {-dx, dx, -dy, dy};
    const double q[4] = {a.x - box.x, box.right() - a.x, a.y - box.y, box.bottom() - a.y};
    for (int k = 0; k < 4 && visible; ++k) {
      if (p[k] == 0) {
        if (q[k] < 0) visible = false;
      } else {
        const double r = q[k] / p[k];
        if (p[k] < 0) {
          t0 = std::max(t0, r);
        } else {
          t1 = std::min(t1, r);
        }
        if (t0 > t1) visible = false;
      }
    }
    if (!visible) {
      flush();
      continue;
    }
    const Point enter{a.x + t0 * dx, a.y + t0 * dy};
    const Point leave{a.x + t1 * dx, a.y + t1 * dy};
    if (current.empty() || t0 > 0) {
      flush();
      current.push_back(enter);
    }
    current.push_back(leave);
    if (t1 < 1) flush();
  }
  flush();
  return pieces;
}

}  // namespace nnlab::report
