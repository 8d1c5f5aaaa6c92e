// The ranking in the course's form and the narrowed space for the next round.

#include "nnlab/search/narrowing.h"

#include <gtest/gtest.h>

namespace nnlab {
namespace {

TrialRecord trial(int index, double lr, double wd, double score) {
  TrialRecord t;
  t.index = index;
  t.plan.point = {lr, wd};
  t.score = score;
  return t;
}

TEST(Narrowing, RanksInTheCoursesFormAndNarrowsToTheBest) {
  const SearchSpace space = SearchSpace::parse("lr=1e-6..1e-2:log,weight_decay=1e-8..1e-4:log");
  std::vector<TrialRecord> trials = {trial(0, 1e-5, 1e-6, 0.1),  trial(1, 0.0093, 7.2e-6, 0.85),
                                     trial(2, 0.005, 2e-7, 0.8), trial(3, 2e-4, 1e-8, 0.3),
                                     trial(4, 0.007, 3e-5, NAN), trial(5, 0.004, 5e-8, 0.79)};
  trials[4].diverged = true;
  const std::string text = ranking_text(trials, space, 2);
  EXPECT_EQ(text,
            "Best-1 (val acc: 0.85) | lr: 0.0093, weight decay: 7.2e-06\n"
            "Best-2 (val acc: 0.80) | lr: 0.005, weight decay: 2e-07\n");
  const SearchSpace narrowed = narrowed_space(trials, space, 3);
  EXPECT_DOUBLE_EQ(narrowed.dimensions()[0].low, 0.004);
  EXPECT_DOUBLE_EQ(narrowed.dimensions()[0].high, 0.0093);
  EXPECT_DOUBLE_EQ(narrowed.dimensions()[1].low, 5e-8);
  EXPECT_TRUE(narrowed.dimensions()[1].log);
  EXPECT_EQ(narrowed.str(), "lr=0.004..0.0093:log,weight_decay=5e-08..7.2e-06:log");
  EXPECT_EQ(narrowing_count(100), 10);
  EXPECT_EQ(narrowing_count(20), 5);
  EXPECT_EQ(narrowing_count(3), 3);
  EXPECT_NE(ranking_text(trials, space, 6).find("Best-6 (diverged, trial 4)"), std::string::npos);
}

}  // namespace
}  // namespace nnlab
