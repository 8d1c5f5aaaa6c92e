// Successive halving: the rung plan, and the best configuration survives to the end.

#include "nnlab/search/successive_halving.h"

#include <gtest/gtest.h>

#include "nnlab/search/search_runner.h"

namespace nnlab {
namespace {

TEST(SuccessiveHalving, RungsShrinkByTheRateAndGrowInEpochs) {
  SuccessiveHalving halving(SearchSpace::parse("lr=1e-4..1:log"), 0, 27, 5, 50, 3);
  ASSERT_EQ(halving.rungs().size(), 3u);  // 6, 17, 50 epochs
  EXPECT_EQ(halving.rungs()[0].trials, 27);
  EXPECT_EQ(halving.rungs()[0].epochs, 6);
  EXPECT_EQ(halving.rungs()[1].first_index, 27);
  EXPECT_EQ(halving.rungs()[1].trials, 9);
  EXPECT_EQ(halving.rungs()[1].epochs, 17);
  EXPECT_EQ(halving.rungs()[2].trials, 3);
  EXPECT_EQ(halving.rungs()[2].epochs, 50);
  // Rung 1 waits for rung 0 to be complete.
  EXPECT_EQ(halving.plan(27, {}).status, PlanRequest::Status::kWait);
  EXPECT_EQ(halving.plan(39, {}).status, PlanRequest::Status::kDone);
}

TEST(SuccessiveHalving, KeepsTheBest) {
  const SearchSpace space = SearchSpace::parse("x=0..1");
  SuccessiveHalving halving(space, 4, 27, 1, 9, 3);
  // Longer training helps every configuration alike; x near 0.3 is best.
  const SearchResult result = run_search(halving, space,
                                         [](int, const TrialPlan& plan) {
                                           TrialRecord r;
                                           r.score = 1 - std::abs(plan.point[0] - 0.3) - 1.0 / plan.epochs;
                                           return r;
                                         },
                                         {.workers = 2});
  ASSERT_EQ(result.trials.size(), 27u + 9u + 3u);
  double best_x = 0;
  double best_distance = 1;
  for (int i = 0; i < 27; ++i) {
    const double d = std::abs(result.trials[i].plan.point[0] - 0.3);
    if (d < best_distance) best_distance = d, best_x = result.trials[i].plan.point[0];
  }
  const TrialRecord winner = ranked({result.trials.begin() + 36, result.trials.end()}).front();
  EXPECT_EQ(winner.plan.point[0], best_x);
  EXPECT_EQ(winner.plan.epochs, 9);
  EXPECT_EQ(winner.plan.rung, 2);
  EXPECT_LT(winner.plan.origin, 27);
  EXPECT_EQ(result.trials[winner.plan.parent].plan.rung, 1);
}

}  // namespace
}  // namespace nnlab
