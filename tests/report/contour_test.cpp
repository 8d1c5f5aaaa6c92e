#include "nnlab/report/contour.h"

#include <gtest/gtest.h>

#include <cmath>

#include "report/svg_check.h"

namespace nnlab::report {
namespace {

TEST(ContourTest, LevelOneOfXSquaredPlusYSquaredIsTheUnitCircle) {
  const auto lines = contour_lines([](double x, double y) { return x * x + y * y; }, -2, 2, -2, 2, 80, 1.0);
  ASSERT_EQ(lines.size(), 1u);  // one closed curve, joined across all cells
  const auto& circle = lines[0];
  EXPECT_GT(circle.size(), 100u);
  for (const Point p : circle) EXPECT_NEAR(std::hypot(p.x, p.y), 1.0, 0.02) << p.x << ", " << p.y;
  EXPECT_NEAR(circle.front().x, circle.back().x, 1e-12);
  EXPECT_NEAR(circle.front().y, circle.back().y, 1e-12);
  // It goes all the way round.
  double min_x = 1, max_x = -1, min_y = 1, max_y = -1;
  for (const Point p : circle) {
    min_x = std::min(min_x, p.x);
    max_x = std::max(max_x, p.x);
    min_y = std::min(min_y, p.y);
    max_y = std::max(max_y, p.y);
  }
  EXPECT_NEAR(min_x, -1, 0.02);
  EXPECT_NEAR(max_x, 1, 0.02);
  EXPECT_NEAR(min_y, -1, 0.02);
  EXPECT_NEAR(max_y, 1, 0.02);
}

TEST(ContourTest, LevelZeroOfTheSaddleIsTheTwoDiagonals) {
  const auto lines = contour_lines([](double x, double y) { return x * x - y * y; }, -1, 1, -1, 1, 41, 0.0);
  ASSERT_FALSE(lines.empty());
  for (const auto& line : lines) {
    for (const Point p : line) EXPECT_NEAR(std::abs(p.x), std::abs(p.y), 0.03) << p.x << ", " << p.y;
  }
}

TEST(ContourTest, OpenLinesEndOnTheBox) {
  // x + y = 0.5 crosses the box from edge to edge.
  const auto lines = contour_lines([](double x, double y) { return x + y; }, -1, 1, -1, 1, 20, 0.5);
  ASSERT_EQ(lines.size(), 1u);
  for (const Point end : {lines[0].front(), lines[0].back()}) {
    const bool on_edge = std::abs(std::abs(end.x) - 1) < 1e-9 || std::abs(std::abs(end.y) - 1) < 1e-9;
    EXPECT_TRUE(on_edge) << end.x << ", " << end.y;
  }
}

TEST(ContourTest, BowlLevelsAreDenseNearTheMinimumAndAscending) {
  Contour contour{.f = [](double x, double y) { return x * x / 20 + y * y; }, .level_count = 10};
  const auto levels = contour.chosen_levels();
  ASSERT_EQ(levels.size(), 10u);
  for (size_t i = 1; i < levels.size(); ++i) EXPECT_GT(levels[i], levels[i - 1]);
  EXPECT_LT(levels[0], 2);
  contour.levels = {1, 4, 9};
  EXPECT_EQ(contour.chosen_levels(), (std::vector<double>{1, 4, 9}));
}

TEST(ContourTest, PathsAreDrawnWithStartEndAndLegend) {
  Contour contour{.title = "Optimizer paths", .f = [](double x, double y) { return x * x / 20 + y * y; }};
  contour.levels = {1, 4, 16};
  contour.add_path("SGD", {-7, -5, -3, 0}, {2, -1.5, 1, 0});
  contour.add_path("Adam", {-7, -6, -4, -2}, {2, 1, 0.5, 0.1});
  contour.points.push_back({0, 0, "minimum"});
  const std::string svg = contour.render();
  EXPECT_EQ(test::xml_problem(svg), "");
  const auto texts = test::texts(svg);
  for (const char* text : {"Optimizer paths", "x", "y", "SGD", "Adam", "start", "end", "minimum"}) {
    EXPECT_EQ(test::count_of(texts, text), 1) << text;
  }
  // 3 levels + 2 paths; 8 step dots + 2 start rings + legend samples.
  EXPECT_EQ(test::elements(svg, "path").size(), 5u);
  EXPECT_GE(test::elements(svg, "circle").size(), 10u);
}

TEST(ContourTest, APathLeavingTheBoxIsClipped) {
  Contour contour{
      .f = [](double x, double y) { return x * x - y * y; }, .x_min = -2, .x_max = 2, .y_min = -2, .y_max = 2};
  contour.levels = {0};
  contour.add_path("SGD", {-1.5, -1, 0, 1e6, 1e30}, {0.01, 0.1, 1, 1e7, NAN});
  const std::string svg = contour.render();
  EXPECT_EQ(test::xml_problem(svg), "");
  for (const auto& path : test::elements(svg, "path")) {
    EXPECT_EQ(test::attribute(path, "d").find("e+"), std::string::npos);  // no runaway coordinates
  }
}

TEST(ContourTest, MissingFunctionIsRejected) { EXPECT_THROW(Contour{}.render(), std::invalid_argument); }

}  // namespace
}  // namespace nnlab::report
