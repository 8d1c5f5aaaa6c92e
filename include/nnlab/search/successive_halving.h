#pragma once
// Successive halving (Jamieson & Talwalkar, 2016; the rung scheme of Hyperband):
// many short trials, and the best fraction continues with more epochs.
//
// Rung 0 trains `trials` random configurations for about max_epochs / rate^s
// epochs (s = the number of promotions that fit between min_epochs and
// max_epochs); each later rung keeps the best 1/rate of the one before and gives
// it rate× the epochs, the last rung max_epochs. A promoted configuration is
// retrained from its start with its first trial's seed: its first epochs repeat
// the earlier rung's exactly, and no weights need to outlive a trial, which keeps
// resume simple (at the cost of the earlier rungs' epochs once more).
// Trial indices run rung after rung; a rung starts when the one before is complete.

#include "nnlab/search/strategy.h"

namespace nnlab {

class SuccessiveHalving final : public SearchStrategy {
 public:
  SuccessiveHalving(SearchSpace space, uint64_t seed, int trials, int min_epochs, int max_epochs, int rate);
  PlanRequest plan(int index, const std::vector<TrialRecord>& finished) override;
  std::string name() const override { return "halving"; }

  struct Rung {
    int first_index;
    int trials;
    int epochs;
  };
  const std::vector<Rung>& rungs() const { return rungs_; }

 private:
  SearchSpace space_;
  uint64_t seed_;
  std::vector<Rung> rungs_;
};

}  // namespace nnlab
