#include "nnlab/report/line_chart.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "nnlab/report/palette.h"
#include "report/svg_check.h"

namespace nnlab::report {
namespace {

LineChart two_series() {
  LineChart chart{.title = "Loss", .x_label = "epoch", .y_label = "cross-entropy"};
  chart.add("train", {2.0, 1.2, 0.8, 0.6, 0.5});
  chart.add("validation", {2.1, 1.4, 1.0, 0.9, 0.95}).dashed = true;
  return chart;
}

// The number of move commands in a path: one per unbroken piece of line.
int pieces(const std::string& path) {
  const std::string d = test::attribute(path, "d");
  return static_cast<int>(std::count(d.begin(), d.end(), 'M'));
}

TEST(LineChartTest, TwoSeriesGiveTwoPathsInThePaletteColours) {
  const std::string svg = two_series().render();
  EXPECT_EQ(test::xml_problem(svg), "");
  const auto paths = test::elements(svg, "path");
  ASSERT_EQ(paths.size(), 2u);
  EXPECT_EQ(test::attribute(paths[0], "stroke"), series_color(0));
  EXPECT_EQ(test::attribute(paths[1], "stroke"), series_color(1));
  EXPECT_EQ(test::attribute(paths[0], "stroke-dasharray"), "");
  EXPECT_NE(test::attribute(paths[1], "stroke-dasharray"), "");
  EXPECT_EQ(pieces(paths[0]), 1);
}

TEST(LineChartTest, TitleAxisLabelsAndLegendNamesArePresent) {
  const auto texts = test::texts(two_series().render());
  EXPECT_EQ(test::count_of(texts, "Loss"), 1);
  EXPECT_EQ(test::count_of(texts, "epoch"), 1);
  EXPECT_EQ(test::count_of(texts, "cross-entropy"), 1);
  EXPECT_EQ(test::count_of(texts, "train"), 1);
  EXPECT_EQ(test::count_of(texts, "validation"), 1);
}

TEST(LineChartTest, TickLabelsAreNiceNumbers) {
  const auto texts = test::texts(two_series().render());
  // y from 0.5 to 2.1 → ticks 0.5, 1.0, …, 2.5 (or finer), never 0.53 and the like.
  EXPECT_EQ(test::count_of(texts, "1.0"), 1);
  EXPECT_EQ(test::count_of(texts, "2.0"), 1);
  EXPECT_EQ(test::count_of(texts, "5"), 1);  // last epoch on x
}

TEST(LineChartTest, NaNBreaksTheLine) {
  LineChart chart{.title = "Diverged"};
  chart.add("loss", {1.0, 0.9, NAN, INFINITY, 0.6, 0.5});
  const auto paths = test::elements(chart.render(), "path");
  ASSERT_EQ(paths.size(), 1u);
  EXPECT_EQ(pieces(paths[0]), 2);
}

TEST(LineChartTest, ASeriesWithNoFinitePointIsOnlyInTheLegend) {
  LineChart chart = two_series();
  chart.add("lr 10", {NAN, NAN, NAN, NAN, NAN});
  const std::string svg = chart.render();
  EXPECT_EQ(test::xml_problem(svg), "");
  EXPECT_EQ(test::elements(svg, "path").size(), 2u);
  EXPECT_EQ(test::count_of(test::texts(svg), "lr 10"), 1);
}

TEST(LineChartTest, NonPositiveValuesAreGapsOnALogAxis) {
  LineChart chart{.title = "Loss", .log_y = true};
  chart.add("loss", {1.0, 0.1, 0.0, 0.01, 0.001});
  const std::string svg = chart.render();
  const auto paths = test::elements(svg, "path");
  ASSERT_EQ(paths.size(), 1u);
  EXPECT_EQ(pieces(paths[0]), 2);
  EXPECT_EQ(test::count_of(test::texts(svg), "10⁻³"), 1);
  EXPECT_EQ(test::count_of(test::texts(svg), "10⁰"), 1);
}

TEST(LineChartTest, AnIsolatedPointIsShownAsADot) {
  LineChart chart;
  chart.add("loss", {NAN, 0.5, NAN});
  const std::string svg = chart.render();
  EXPECT_TRUE(test::elements(svg, "path").empty());
  EXPECT_EQ(test::elements(svg, "circle").size(), 1u);
}

TEST(LineChartTest, MarkersOnlySeriesHasDotsAndNoLine) {
  LineChart chart;
  chart.add("evaluations", {1, 2, 3}, {0.3, 0.2, 0.1}).markers_only = true;
  const std::string svg = chart.render();
  EXPECT_TRUE(test::elements(svg, "path").empty());
  EXPECT_EQ(test::elements(svg, "circle").size(), 3u + 1u);  // the points and the legend sample
}

TEST(LineChartTest, VerticalMarkersAreDrawnWithTheirLabels) {
  LineChart chart = two_series();
  chart.vertical_markers.push_back({.x = 4, .label = "best epoch"});
  chart.vertical_markers.push_back({.x = 4.2, .label = "early stop"});
  chart.horizontal_markers.push_back({.y = 0.7, .label = "target"});
  const std::string svg = chart.render();
  EXPECT_EQ(test::xml_problem(svg), "");
  const auto texts = test::texts(svg);
  EXPECT_EQ(test::count_of(texts, "best epoch"), 1);
  EXPECT_EQ(test::count_of(texts, "early stop"), 1);
  EXPECT_EQ(test::count_of(texts, "target"), 1);
  // Close markers: the second label moves down a row instead of overlapping the first.
  std::vector<double> label_ys;
  for (const auto& text : test::elements(svg, "text")) {
    if (svg.find(text + "best epoch") != std::string::npos || svg.find(text + "early stop") != std::string::npos) {
      label_ys.push_back(std::stod(test::attribute(text, "y")));
    }
  }
  ASSERT_EQ(label_ys.size(), 2u);
  EXPECT_GT(std::abs(label_ys[0] - label_ys[1]), 8);
}

TEST(LineChartTest, SpecialCharactersInNamesAreEscaped) {
  LineChart chart{.title = "a < b & \"c\""};
  chart.add("lr=1e-3 <best>", {1, 2});
  const std::string svg = chart.render();
  EXPECT_EQ(test::xml_problem(svg), "");
  EXPECT_EQ(test::count_of(test::texts(svg), "a &lt; b &amp; &quot;c&quot;"), 1);
}

TEST(LineChartTest, MismatchedLengthsAreRejectedWithTheSeriesName) {
  LineChart chart;
  try {
    chart.add("train", {1, 2, 3}, {1, 2});
    FAIL() << "expected an exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("train"), std::string::npos);
  }
}

TEST(LineChartTest, EmptyChartIsStillAValidDocument) {
  const std::string svg = LineChart{.title = "nothing yet"}.render();
  EXPECT_EQ(test::xml_problem(svg), "");
  EXPECT_TRUE(test::elements(svg, "path").empty());
}

TEST(LineChartTest, FixedYRangeIsKept) {
  LineChart chart{.y_range = Range{0, 1}};
  chart.add("accuracy", {0.31, 0.52, 0.63});
  const auto texts = test::texts(chart.render());
  EXPECT_EQ(test::count_of(texts, "0.0"), 1);
  EXPECT_EQ(test::count_of(texts, "1.0"), 1);
}

}  // namespace
}  // namespace nnlab::report
