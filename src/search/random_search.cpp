#include "nnlab/search/random_search.h"

namespace nnlab {

RandomSearch::RandomSearch(SearchSpace space, uint64_t seed, int trials, int epochs)
    : space_(std::move(space)), seed_(seed), trials_(trials), epochs_(epochs) {}

Point RandomSearch::point(int index) const {
  Rng rng(trial_seed(seed_, index));
  return space_.sample(rng);
}

PlanRequest RandomSearch::plan(int index, const std::vector<TrialRecord>& /*finished*/) {
  if (trials_ > 0 && index >= trials_) return PlanRequest::done();
  return PlanRequest::run({point(index), epochs_});
}

}  // namespace nnlab
