#include "nnlab/report/grid.h"

#include <algorithm>
#include <stdexcept>

namespace nnlab::report {

namespace {

constexpr double kPad = 10;

const std::string& x_label_of(const Panel& panel) {
  return std::visit([](const auto& p) -> const std::string& { return p.x_label; }, panel);
}

const std::string& y_label_of(const Panel& panel) {
  return std::visit([](const auto& p) -> const std::string& { return p.y_label; }, panel);
}

// Axis labels repeated on every panel are noise: when all panels share one,
// it is kept only on the bottom row (x) or the left column (y).
bool all_same(const std::vector<Panel>& panels, const std::string& (*label)(const Panel&)) {
  return std::all_of(panels.begin(), panels.end(), [&](const Panel& p) { return label(p) == label(panels.front()); });
}

}  // namespace

std::string Grid::render() const {
  if (cols < 1) throw std::invalid_argument("grid needs at least one column");
  const int panel_count = static_cast<int>(panels.size());
  const int row_count = rows > 0 ? rows : std::max(1, (panel_count + cols - 1) / cols);
  if (panel_count > row_count * cols) {
    throw std::invalid_argument("grid of " + std::to_string(row_count) + " × " + std::to_string(cols) +
                                " cannot hold " + std::to_string(panel_count) + " panels");
  }
  const Fonts fonts = panel_fonts();
  const double width = cols * panel_width;

  std::vector<LegendEntry> legend;
  if (!panel_legends) {
    for (const auto& panel : panels) merge_legend(legend, std::visit([](const auto& p) { return p.legend(); }, panel));
  }
  const double title_height = title.empty() ? kPad : kPad + 16 * 1.5;
  const double legend_height = legend.empty() ? 0 : legend_rows_height(legend, width - 2 * kPad, fonts) + 6;
  const double height = title_height + legend_height + row_count * panel_height + kPad / 2;

  Svg svg(width, height);
  if (!title.empty()) {
    svg.text({width / 2, kPad + 16}, fit_text(title, 16 * kBoldWidthScale, width - 2 * kPad),
             TextStyle{.size = 16, .anchor = Anchor::middle, .bold = true, .color = "#111111"});
  }
  if (!legend.empty()) draw_legend_rows(svg, legend, {kPad, title_height, width - 2 * kPad, legend_height}, fonts);

  std::optional<Range> shared_y;
  if (share_y) {
    Range range;
    for (const auto& panel : panels) range.include(std::visit([](const auto& p) { return p.y_extent(); }, panel));
    shared_y = range;
  }
  const bool one_x_label = !panels.empty() && all_same(panels, x_label_of);
  const bool one_y_label = !panels.empty() && all_same(panels, y_label_of);
  for (int index = 0; index < panel_count; ++index) {
    const int row = index / cols;
    const int col = index % cols;
    // The lowest panel of its column, even when the last row is not full.
    const bool lowest = index + cols >= panel_count;
    const PanelOptions options{.fonts = fonts,
                               .show_legend = panel_legends,
                               .show_x_label = !one_x_label || lowest,
                               .show_y_label = !one_y_label || col == 0,
                               .y_range = shared_y};
    const Box box{col * panel_width, title_height + legend_height + row * panel_height, panel_width, panel_height};
    std::visit([&](const auto& p) { p.draw(svg, box, options); }, panels[static_cast<size_t>(index)]);
  }
  return svg.str();
}

}  // namespace nnlab::report
