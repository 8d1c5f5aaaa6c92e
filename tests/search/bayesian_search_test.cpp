// The Gaussian process and Bayesian search: the surrogate interpolates, expected
// improvement behaves, and on a 1-D toy function the search finds the optimum in
// fewer trials than random search.

#include "nnlab/search/bayesian_search.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "nnlab/search/random_search.h"
#include "nnlab/search/search_runner.h"

namespace nnlab {
namespace {

TEST(GaussianProcess, InterpolatesAndIsUncertainFarFromData) {
  GaussianProcess gp({{0.2}, {1e-4}});
  gp.fit({{0.1}, {0.5}, {0.9}}, {0.2, 0.8, 0.4});
  double mean = 0, sd = 0;
  gp.predict({0.5}, mean, sd);
  EXPECT_NEAR(mean, 0.8, 0.02);
  double far_mean = 0, far_sd = 0;
  gp.predict({0.3}, far_mean, far_sd);
  EXPECT_GT(far_sd, 3 * sd);
  EXPECT_DOUBLE_EQ(GaussianProcess::matern52(0, 0.3), 1.0);
}

TEST(GaussianProcess, ExpectedImprovement) {
  EXPECT_NEAR(expected_improvement(1.0, 0.0, 0.5, 0.0), 0.5, 1e-12);
  EXPECT_NEAR(expected_improvement(0.5, 1.0, 0.5, 0.0), 1 / std::sqrt(2 * M_PI), 1e-12);
  EXPECT_GT(expected_improvement(0.4, 0.2, 0.5, 0.0), expected_improvement(0.4, 0.1, 0.5, 0.0));
}

// A broad hill with a narrow peak on it at 0.73.
double toy(double x) {
  return 0.5 * std::exp(-std::pow((x - 0.6) / 0.3, 2)) + 0.5 * std::exp(-std::pow((x - 0.73) / 0.04, 2));
}

// The 1-based trial at which the score first reaches `target` (trials + 1 if never).
int trials_to_reach(SearchStrategy& strategy, const SearchSpace& space, double target, int trials) {
  const SearchResult result = run_search(strategy, space,
                                         [](int, const TrialPlan& plan) {
                                           TrialRecord r;
                                           r.score = toy(plan.point[0]);
                                           return r;
                                         },
                                         {});
  for (const auto& t : result.trials) {
    if (t.score >= target) return t.index + 1;
  }
  return trials + 1;
}

TEST(BayesianSearch, FindsTheOptimumOfAToyFunctionFasterThanRandom) {
  const SearchSpace space = SearchSpace::parse("x=0..1");
  double best = 0;  // the toy's maximum, on a fine grid
  for (int i = 0; i <= 100000; ++i) best = std::max(best, toy(i / 100000.0));
  std::vector<int> bayes, random;
  for (uint64_t seed = 0; seed < 5; ++seed) {
    BayesianSearch b(space, seed, 60, 1, {.initial_trials = 5, .candidates = 500, .xi = 0.01});
    RandomSearch r(space, seed, 300, 1);
    bayes.push_back(trials_to_reach(b, space, best - 0.01, 60));
    random.push_back(trials_to_reach(r, space, best - 0.01, 300));
  }
  std::sort(bayes.begin(), bayes.end());
  std::sort(random.begin(), random.end());
  EXPECT_LT(bayes[2], random[2]) << "median trials: bayes " << bayes[2] << ", random " << random[2];
  EXPECT_LE(bayes[2], 25);
  std::printf("median trials to the optimum: bayes %d, random %d\n", bayes[2], random[2]);
}

TEST(BayesianSearch, StartsWithTheRandomPointsAndIsReproducible) {
  const SearchSpace space = SearchSpace::parse("lr=1e-6..1e-2:log,weight_decay=1e-8..1e-4:log");
  BayesianSearch b(space, 3, 10, 1, {});
  RandomSearch r(space, 3, 10, 1);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(b.plan(i, {}).plan.point, r.point(i));
  // Trial i after the random phase depends only on (seed, i) and the finished trials.
  std::vector<TrialRecord> finished;
  for (int i = 0; i < 12; ++i) {
    TrialRecord t;
    t.index = i;
    t.plan.point = r.point(i);
    t.score = 0.1 * (i % 7);
    finished.push_back(t);
  }
  BayesianSearch one(space, 3, 20, 1, {.initial_trials = 10, .candidates = 200, .xi = 0.01});
  BayesianSearch two(space, 3, 20, 1, {.initial_trials = 10, .candidates = 200, .xi = 0.01});
  EXPECT_EQ(one.plan(12, finished).plan.point, two.plan(12, finished).plan.point);
}

}  // namespace
}  // namespace nnlab
