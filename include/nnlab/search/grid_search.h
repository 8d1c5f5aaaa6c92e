#pragma once
// Grid search: every combination of `points_per_range` values spread evenly over
// each range (in its scale: a log range gets evenly spaced exponents; an integer
// range at most its whole numbers) and every item of each choice. Trials run in
// order, the last dimension changing fastest.

#include <cstdint>

#include "nnlab/search/strategy.h"

namespace nnlab {

class GridSearch final : public SearchStrategy {
 public:
  // The most points (trials) a grid may hold; more throws std::invalid_argument.
  static constexpr int64_t kMaxGridPoints = 1'000'000;
  GridSearch(const SearchSpace& space, int points_per_range, int epochs);
  PlanRequest plan(int index, const std::vector<TrialRecord>& finished) override;
  std::string name() const override { return "grid"; }
  const std::vector<Point>& points() const { return points_; }

 private:
  std::vector<Point> points_;
  int epochs_;
};

}  // namespace nnlab
