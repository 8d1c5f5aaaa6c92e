#include "nnlab/report/decision_map.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "report/svg_check.h"

namespace nnlab::report {
namespace {

// Two classes split by the vertical line x = 0.3: P(class 1) = sigmoid(20 (x − 0.3)).
DecisionMap vertical_split(int resolution) {
  DecisionMap map;
  map.x_min = -1;
  map.x_max = 1;
  map.y_min = -1;
  map.y_max = 1;
  map.resolution = resolution;
  map.classes = 2;
  const std::vector<double> grid = map.grid_points();
  for (size_t i = 0; i < grid.size(); i += 2) {
    const double p1 = 1 / (1 + std::exp(-20 * (grid[i] - 0.3)));
    map.probabilities.push_back(1 - p1);
    map.probabilities.push_back(p1);
  }
  map.xs = {-0.5, 0.8, 0.5};
  map.ys = {0.2, -0.4, 0.0};
  map.labels = {0, 1, 0};
  map.correct = {true, true, false};
  return map;
}

TEST(DecisionMap, GridPointsRunRowByRowFromTheLowerLeftCorner) {
  DecisionMap map;
  map.x_min = 0;
  map.x_max = 2;
  map.y_min = 10;
  map.y_max = 12;
  map.resolution = 2;
  const std::vector<double> grid = map.grid_points();
  ASSERT_EQ(grid.size(), 9u * 2u);
  EXPECT_EQ(grid[0], 0);
  EXPECT_EQ(grid[1], 10);
  EXPECT_EQ(grid[2], 1);  // the second point: next column, same row
  EXPECT_EQ(grid[3], 10);
  EXPECT_EQ(grid[6], 0);  // the fourth: the next row
  EXPECT_EQ(grid[7], 11);
  EXPECT_EQ(grid[16], 2);
  EXPECT_EQ(grid[17], 12);
}

TEST(DecisionMap, TheBoundaryLiesWhereTheClassesAreEquallyLikely) {
  const DecisionMap map = vertical_split(40);
  const auto lines = map.boundary();
  ASSERT_EQ(lines.size(), 1u);
  double y_lo = 1, y_hi = -1;
  for (const Point p : lines[0]) {
    EXPECT_NEAR(p.x, 0.3, 1e-3);  // interpolated between the grid points
    y_lo = std::min(y_lo, p.y);
    y_hi = std::max(y_hi, p.y);
  }
  EXPECT_DOUBLE_EQ(y_lo, -1);  // across the whole box
  EXPECT_DOUBLE_EQ(y_hi, 1);
}

TEST(DecisionMap, ThreeClassesMeetAlongEachClassBorder) {
  // Class 0 left of x = -0.3, class 2 right of x = 0.3, class 1 between.
  DecisionMap map;
  map.x_min = map.y_min = -1;
  map.x_max = map.y_max = 1;
  map.resolution = 30;
  map.classes = 3;
  const std::vector<double> grid = map.grid_points();
  for (size_t i = 0; i < grid.size(); i += 2) {
    // Logits −10x − 3, 0 and 10x − 3: class 1 wins for |x| < 0.3.
    const double x = grid[i];
    const double s0 = std::exp(-10 * x - 3), s1 = 1, s2 = std::exp(10 * x - 3);
    const double sum = s0 + s1 + s2;
    map.probabilities.insert(map.probabilities.end(), {s0 / sum, s1 / sum, s2 / sum});
  }
  int left = 0, right = 0;
  for (const auto& line : map.boundary()) {
    for (const Point p : line) {
      EXPECT_NEAR(std::abs(p.x), 0.3, 1e-3);
      (p.x < 0 ? left : right) += 1;
    }
  }
  EXPECT_GT(left, 0);
  EXPECT_GT(right, 0);
}

TEST(DecisionMap, RendersShadedCellsTheBoundaryAndEveryPoint) {
  const DecisionMap map = vertical_split(40);
  const std::string svg = map.render();
  EXPECT_EQ(test::xml_problem(svg), "");
  // Cells of one shade in a row merge: each row holds a few runs, not 41 cells.
  const auto rects = test::elements(svg, "rect");
  EXPECT_GT(rects.size(), 41u);
  EXPECT_LT(rects.size(), 41u * 12u);
  int right = 0, wrong = 0;
  for (const auto& circle : test::elements(svg, "circle")) {
    right += test::attribute(circle, "r") == "2.8";
    wrong += test::attribute(circle, "r") == "3.4";
  }
  EXPECT_EQ(right, 2);
  EXPECT_EQ(wrong, 1);
  const auto labels = test::texts(svg);
  EXPECT_EQ(test::count_of(labels, "misclassified"), 1);
  EXPECT_EQ(test::count_of(labels, "decision boundary"), 1);
}

TEST(DecisionMap, RefusesProbabilitiesThatDoNotFitTheGrid) {
  DecisionMap map = vertical_split(10);
  map.probabilities.pop_back();
  EXPECT_THROW(map.render(), std::invalid_argument);
  map = vertical_split(10);
  map.labels[1] = 2;
  EXPECT_THROW(map.render(), std::invalid_argument);
  map = vertical_split(10);
  map.correct.pop_back();
  EXPECT_THROW(map.render(), std::invalid_argument);
  map = vertical_split(10);
  map.resolution = 1;
  EXPECT_THROW(map.grid_points(), std::invalid_argument);
}

}  // namespace
}  // namespace nnlab::report
