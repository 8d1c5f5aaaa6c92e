#include "nnlab/experiments/optimizer_paths.h"

#include <map>

#include "test_util.h"

namespace nnlab::test {

namespace {
OptimizerPath path_of(const Surface& surface, const std::string& label) {
  for (const auto& s : surface.name == "bowl" ? bowl_settings() : saddle_settings()) {
    if (s.label == label) return run_path(surface, s, 30);
  }
  throw std::runtime_error("no setting " + label);
}
}  // namespace

// End points of the textbook's own code (EXPERIMENTS.md), 30 updates from (−7, 2).
// SGD, Momentum and AdaGrad are the same update rules; the textbook's Adam folds
// the bias correction into the rate and adds eps 1e-7 to √v, hence the looser bound.
TEST(OptimizerPaths, ReproduceTheTextbookEndPointsOnTheBowl) {
  const Surface bowl = bowl_surface();
  const std::map<std::string, std::pair<double, double>> expected = {
      {"SGD", {-0.350, 0.085}}, {"Momentum", {0.896, 0.088}}, {"AdaGrad", {-0.120, 0.000}}, {"Adam", {0.136, 0.318}}};
  for (const auto& [label, end] : expected) {
    const OptimizerPath p = path_of(bowl, label);
    ASSERT_EQ(p.x.size(), 31u);
    EXPECT_NEAR(p.x.back(), end.first, 2e-3) << label;
    EXPECT_NEAR(p.y.back(), end.second, 2e-3) << label;
  }
}

TEST(OptimizerPaths, SgdZigZagsInYOnTheBowl) {
  const OptimizerPath p = path_of(bowl_surface(), "SGD");
  int sign_changes = 0;
  for (size_t i = 1; i < p.y.size(); ++i) sign_changes += (p.y[i] > 0) != (p.y[i - 1] > 0);
  EXPECT_GE(sign_changes, 25);  // lr 0.95 on y² flips y every step: y ← −0.9·y
}

TEST(OptimizerPaths, EveryOptimizerEndsLowerThanItStarts) {
  const Surface bowl = bowl_surface();
  for (const auto& s : bowl_settings()) {
    const OptimizerPath p = run_path(bowl, s, 30);
    EXPECT_LT(p.loss.back(), 0.1 * p.loss.front()) << s.label;
  }
}

TEST(OptimizerPaths, AdaptiveMethodsLeaveTheSaddleFirst) {
  const Surface saddle = saddle_surface();
  const OptimizerPath sgd = path_of(saddle, "SGD");
  EXPECT_EQ(sgd.escape_step, -1);  // y grows only 1.2× per step from 0.001: still near the saddle after 30
  for (const char* label : {"AdaGrad", "RMSProp", "Adam"}) {
    const OptimizerPath p = path_of(saddle, label);
    EXPECT_GT(p.escape_step, 0) << label;
    EXPECT_LE(p.escape_step, 20) << label;
  }
}

}  // namespace nnlab::test
