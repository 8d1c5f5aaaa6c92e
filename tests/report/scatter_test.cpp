#include "nnlab/report/scatter.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "nnlab/report/palette.h"
#include "report/svg_check.h"

namespace nnlab::report {
namespace {

Scatter search_trials() {
  Scatter scatter{
      .title = "Random search", .x_label = "learning rate", .y_label = "weight decay", .log_x = true, .log_y = true};
  for (int i = 0; i < 20; ++i) {
    scatter.xs.push_back(std::pow(10.0, -5 + 0.2 * i));
    scatter.ys.push_back(std::pow(10.0, -8 + 0.15 * i));
    scatter.values.push_back(0.1 + 0.04 * i);
  }
  return scatter;
}

TEST(ScatterTest, LogAxesHaveDecadeLabelsAndTitleAndLabels) {
  const std::string svg = search_trials().render();
  EXPECT_EQ(test::xml_problem(svg), "");
  const auto texts = test::texts(svg);
  for (const char* text : {"Random search", "learning rate", "weight decay", "10⁻⁴", "10⁻²", "10⁻⁶"}) {
    EXPECT_EQ(test::count_of(texts, text), 1) << text;
  }
}

TEST(ScatterTest, PointsAreColouredByValueWithAColourBar) {
  Scatter scatter = search_trials();
  scatter.value_label = "validation accuracy";
  const std::string svg = scatter.render();
  int lowest = 0, highest = 0;
  for (const auto& circle : test::elements(svg, "circle")) {
    lowest += test::attribute(circle, "fill") == viridis(0) ? 1 : 0;
    highest += test::attribute(circle, "fill") == viridis(1) ? 1 : 0;
  }
  EXPECT_EQ(lowest, 1);
  EXPECT_EQ(highest, 1);
  EXPECT_EQ(test::count_of(test::texts(svg), "validation accuracy"), 1);
}

TEST(ScatterTest, HighlightedPointsAreRingedAndTheBandIsShaded) {
  Scatter scatter = search_trials();
  scatter.highlighted = {18, 19};
  scatter.x_band = Range{1e-3, 1e-2};
  const std::string svg = scatter.render();
  EXPECT_EQ(test::xml_problem(svg), "");
  int rings = 0;
  for (const auto& circle : test::elements(svg, "circle")) rings += test::attribute(circle, "fill") == "none" ? 1 : 0;
  EXPECT_EQ(rings, 2);
  int bands = 0;
  for (const auto& rect : test::elements(svg, "rect")) bands += test::attribute(rect, "fill-opacity") == "0.16" ? 1 : 0;
  EXPECT_EQ(bands, 1);
  const auto texts = test::texts(svg);
  EXPECT_EQ(test::count_of(texts, "best"), 1);
  EXPECT_EQ(test::count_of(texts, "suggested range"), 1);
}

TEST(ScatterTest, NotFiniteValuesAreCrossesInGrey) {
  Scatter scatter = search_trials();
  scatter.values[3] = NAN;
  const std::string svg = scatter.render();
  EXPECT_EQ(test::count_of(test::texts(svg), "not finite"), 1);
  EXPECT_EQ(test::xml_problem(svg), "");
}

TEST(ScatterTest, MismatchedLengthsAreRejected) {
  Scatter scatter = search_trials();
  scatter.values.pop_back();
  EXPECT_THROW(scatter.render(), std::invalid_argument);
  scatter = search_trials();
  scatter.ys.pop_back();
  EXPECT_THROW(scatter.render(), std::invalid_argument);
}

}  // namespace
}  // namespace nnlab::report
