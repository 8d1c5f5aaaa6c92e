// GridSearch enumerates every combination, in order, in each range's scale.

#include "nnlab/search/grid_search.h"

#include <gtest/gtest.h>

namespace nnlab {
namespace {

TEST(GridSearch, EnumeratesEveryCombinationLastDimensionFastest) {
  const SearchSpace space = SearchSpace::parse("lr=1e-4..1e-2:log,depth=1..2:int,optimizer={sgd,adam}");
  GridSearch grid(space, 3, 7);
  ASSERT_EQ(grid.points().size(), 3u * 2u * 2u);  // depth has only two whole numbers
  EXPECT_EQ(grid.points()[0], (Point{1e-4, 1, 0}));
  EXPECT_EQ(grid.points()[1], (Point{1e-4, 1, 1}));
  EXPECT_EQ(grid.points()[2], (Point{1e-4, 2, 0}));
  EXPECT_NEAR(grid.points()[4][0], 1e-3, 1e-15);  // log ranges: evenly spaced exponents
  EXPECT_NEAR(grid.points()[11][0], 1e-2, 1e-15);
  const PlanRequest first = grid.plan(0, {});
  ASSERT_EQ(first.status, PlanRequest::Status::kRun);
  EXPECT_EQ(first.plan.epochs, 7);
  EXPECT_EQ(grid.plan(12, {}).status, PlanRequest::Status::kDone);
}

TEST(GridSearch, LinearRangeIncludesBothEnds) {
  GridSearch grid(SearchSpace::parse("dropout=0..0.5"), 6, 1);
  ASSERT_EQ(grid.points().size(), 6u);
  EXPECT_DOUBLE_EQ(grid.points()[0][0], 0.0);
  EXPECT_DOUBLE_EQ(grid.points()[1][0], 0.1);
  EXPECT_DOUBLE_EQ(grid.points()[5][0], 0.5);
}

// A grid is counted before it is built: a billion points would not fit in memory.
TEST(GridSearch, RefusesGridsOfMoreThanAMillionTrials) {
  const SearchSpace space = SearchSpace::parse("lr=1e-4..1e-1:log,dropout=0..0.5");
  EXPECT_EQ(GridSearch(space, 1000, 1).points().size(), 1'000'000u);
  try {
    GridSearch(space, 1001, 1);
    ADD_FAILURE() << "no error for 1001 x 1001 points";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()),
              "grid search: 1001 points per range over lr=0.0001..0.1:log,dropout=0..0.5 make more than the 1000000 "
              "trials a grid may hold");
  }
  EXPECT_THROW(GridSearch(SearchSpace::parse("dropout=0..0.5"), 2'000'000'000, 1), std::invalid_argument);
}

}  // namespace
}  // namespace nnlab
