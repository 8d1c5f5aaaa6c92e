#include "nnlab/report/histogram.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "report/svg_check.h"

namespace nnlab::report {
namespace {

TEST(HistogramTest, ValuesAreCountedIntoEqualBins) {
  Histogram histogram{.lo = 0, .hi = 1};
  const std::vector<double> values = {0.0, 0.05, 0.1, 0.5, 0.99, 1.0};
  const auto& series = histogram.add_values("a", values, 10);
  ASSERT_EQ(series.counts.size(), 10u);
  EXPECT_EQ(series.counts[0], 2);  // 0.0 and 0.05
  EXPECT_EQ(series.counts[1], 1);  // 0.1
  EXPECT_EQ(series.counts[5], 1);  // 0.5
  EXPECT_EQ(series.counts[9], 2);  // 0.99 and 1.0: the top edge belongs to the last bin
  EXPECT_EQ(series.outside, 0u);
}

TEST(HistogramTest, OutOfRangeAndNaNValuesAreCountedApartAndNoted) {
  Histogram histogram{.title = "sigmoid", .lo = 0, .hi = 1};
  const std::vector<float> values = {-0.5f, 0.5f, 1.5f, NAN};
  const auto& series = histogram.add_values("a", values, 4);
  EXPECT_EQ(series.outside, 3u);
  EXPECT_EQ(series.counts[2], 1);
  const std::string svg = histogram.render();
  EXPECT_EQ(test::xml_problem(svg), "");
  EXPECT_EQ(test::count_of(test::texts(svg), "3 outside [0, 1]"), 1);
}

TEST(HistogramTest, OneBarPerNonEmptyBinWithTitleAndLabels) {
  Histogram histogram{.title = "Layer 1", .x_label = "activation", .y_label = "count", .lo = 0, .hi = 1};
  std::vector<double> values;
  for (int i = 0; i < 300; ++i) values.push_back(0.5 + 0.1 * std::sin(i));  // all within [0.4, 0.6]
  const auto& series = histogram.add_values("", values, 30);
  int filled = 0;
  for (const double c : series.counts) filled += c > 0 ? 1 : 0;
  const std::string svg = histogram.render();
  EXPECT_EQ(test::xml_problem(svg), "");
  // Bars are the only filled rects besides the background.
  int bars = 0;
  for (const auto& rect : test::elements(svg, "rect")) bars += test::attribute(rect, "fill-opacity") == "0.85" ? 1 : 0;
  EXPECT_EQ(bars, filled);
  const auto texts = test::texts(svg);
  EXPECT_EQ(test::count_of(texts, "Layer 1"), 1);
  EXPECT_EQ(test::count_of(texts, "activation"), 1);
  EXPECT_EQ(test::count_of(texts, "count"), 1);
  EXPECT_EQ(test::count_of(texts, "0.0"), 1);  // range ends as x ticks
  EXPECT_EQ(test::count_of(texts, "1.0"), 1);
}

TEST(HistogramTest, FractionsAreSharesOfAllValues) {
  Histogram histogram{.fractions = true};
  histogram.add_counts("a", {1, 3});
  histogram.series[0].outside = 4;
  const Range y = histogram.y_extent();
  EXPECT_DOUBLE_EQ(y.lo, 0);
  EXPECT_DOUBLE_EQ(y.hi, 3.0 / 8.0);
}

TEST(HistogramTest, SeveralSeriesAreOverlaidStepsWithALegend) {
  Histogram histogram{.title = "weights", .lo = -1, .hi = 1};
  histogram.add_counts("before", {1, 4, 4, 1});
  histogram.add_counts("after", {2, 3, 3, 2});
  const std::string svg = histogram.render();
  EXPECT_EQ(test::xml_problem(svg), "");
  EXPECT_EQ(test::elements(svg, "path").size(), 4u);  // a filled area and an outline each
  EXPECT_EQ(test::count_of(test::texts(svg), "before"), 1);
  EXPECT_EQ(test::count_of(test::texts(svg), "after"), 1);
}

TEST(HistogramTest, BadBinsOrRangeAreRejected) {
  Histogram histogram{.lo = 1, .hi = 1};
  const std::vector<double> values = {1};
  EXPECT_THROW(histogram.add_values("a", values, 10), std::invalid_argument);
  histogram.hi = 2;
  EXPECT_THROW(histogram.add_values("a", values, 0), std::invalid_argument);
}

}  // namespace
}  // namespace nnlab::report
