#pragma once
// Random search (Bergstra & Bengio, 2012): each trial an independent draw from
// the space, log-uniform where a range says log. Trial i's point is a function
// of (seed, i) alone, so a resumed search replays the same sequence.

#include "nnlab/search/strategy.h"

namespace nnlab {

class RandomSearch final : public SearchStrategy {
 public:
  RandomSearch(SearchSpace space, uint64_t seed, int trials, int epochs);
  PlanRequest plan(int index, const std::vector<TrialRecord>& finished) override;
  std::string name() const override { return "random"; }
  // Trial i's point.
  Point point(int index) const;

 private:
  SearchSpace space_;
  uint64_t seed_;
  int trials_;
  int epochs_;
};

}  // namespace nnlab
