#include "nnlab/report/grid.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "report/svg_check.h"

namespace nnlab::report {
namespace {

LineChart accuracy_panel(int index) {
  LineChart chart{.title = "panel " + std::to_string(index), .x_label = "epoch", .y_label = "accuracy"};
  const double scale = 0.5 + 0.03 * index;
  chart.add("train", {0.2 * scale, 0.6 * scale, 0.9 * scale});
  chart.add("validation", {0.1 * scale, 0.5 * scale, 0.8 * scale});
  return chart;
}

TEST(GridTest, FourByFourGridHasSixteenPanelsAndOneSharedLegend) {
  Grid grid{.title = "Accuracy by learning rate and weight decay", .rows = 4, .cols = 4};
  for (int i = 0; i < 16; ++i) grid.panels.push_back(accuracy_panel(i));
  const std::string svg = grid.render();
  EXPECT_EQ(test::xml_problem(svg), "");
  const auto texts = test::texts(svg);
  EXPECT_EQ(test::count_of(texts, "Accuracy by learning rate and weight decay"), 1);
  for (int i = 0; i < 16; ++i) EXPECT_EQ(test::count_of(texts, "panel " + std::to_string(i)), 1);
  EXPECT_EQ(test::elements(svg, "path").size(), 32u);
  EXPECT_EQ(test::count_of(texts, "train"), 1);  // the shared legend only
  EXPECT_EQ(test::count_of(texts, "validation"), 1);
  // One axis label per row (y) and per column (x), not one per panel.
  EXPECT_EQ(test::count_of(texts, "accuracy"), 4);
  EXPECT_EQ(test::count_of(texts, "epoch"), 4);
}

TEST(GridTest, SharedYGivesEveryPanelTheSameTicks) {
  Grid grid{.rows = 1, .cols = 2, .share_y = true};
  LineChart low;
  low.add("a", {0.1, 0.2});
  LineChart high;
  high.add("a", {5, 9});
  grid.panels = {low, high};
  const auto texts = test::texts(grid.render());
  EXPECT_EQ(test::count_of(texts, "10"), 2);  // the top tick of both panels
  EXPECT_EQ(test::count_of(texts, "0"), 2);
}

TEST(GridTest, MixedPanelKindsAndAnIncompleteLastRow) {
  Grid grid{.title = "mixed", .cols = 2};
  Histogram histogram{.title = "histogram"};
  histogram.add_counts("", {1, 2, 3});
  Contour contour{.title = "contour", .f = [](double x, double y) { return x * x + y * y; }};
  Scatter scatter{.title = "scatter", .xs = {1, 2}, .ys = {3, 4}};
  grid.panels = {accuracy_panel(0), histogram, contour};
  grid.panels.push_back(scatter);
  grid.panels.push_back(accuracy_panel(1));
  const std::string svg = grid.render();  // 3 rows of 2, the last one half full
  EXPECT_EQ(test::xml_problem(svg), "");
  const auto texts = test::texts(svg);
  for (const char* title : {"mixed", "histogram", "contour", "scatter", "panel 0", "panel 1"}) {
    EXPECT_EQ(test::count_of(texts, title), 1) << title;
  }
}

TEST(GridTest, PanelLegendsKeepEachPanelsOwnLegend) {
  Grid grid{.cols = 2, .panel_legends = true};
  grid.panels = {accuracy_panel(0), accuracy_panel(1)};
  EXPECT_EQ(test::count_of(test::texts(grid.render()), "train"), 2);
}

TEST(GridTest, TooManyPanelsAreRejected) {
  Grid grid{.rows = 1, .cols = 1};
  grid.panels = {accuracy_panel(0), accuracy_panel(1)};
  EXPECT_THROW(grid.render(), std::invalid_argument);
}

}  // namespace
}  // namespace nnlab::report
