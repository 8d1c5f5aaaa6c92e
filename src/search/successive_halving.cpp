#include "nnlab/search/successive_halving.h"

#include <cmath>
#include <stdexcept>

namespace nnlab {

SuccessiveHalving::SuccessiveHalving(SearchSpace space, uint64_t seed, int trials, int min_epochs, int max_epochs,
                                     int rate)
    : space_(std::move(space)), seed_(seed) {
  if (rate < 2) throw std::invalid_argument("successive halving needs a rate of at least 2");
  if (min_epochs < 1 || max_epochs < min_epochs)
    throw std::invalid_argument("successive halving needs 1 <= min <= max epochs");
  int promotions = 0;
  while (static_cast<double>(min_epochs) * std::pow(rate, promotions + 1) <= max_epochs) ++promotions;
  int first = 0;
  for (int k = 0; k <= promotions; ++k) {
    const int count = std::max(1, static_cast<int>(trials / std::pow(rate, k)));
    const int epochs = std::max(1, static_cast<int>(std::lround(max_epochs / std::pow(rate, promotions - k))));
    rungs_.push_back({first, count, epochs});
    first += count;
  }
}

PlanRequest SuccessiveHalving::plan(int index, const std::vector<TrialRecord>& finished) {
  size_t k = 0;
  while (k < rungs_.size() && index >= rungs_[k].first_index + rungs_[k].trials) ++k;
  if (k == rungs_.size()) return PlanRequest::done();
  const Rung& rung = rungs_[k];
  if (k == 0) {
    Rng rng(trial_seed(seed_, index));
    return PlanRequest::run({space_.sample(rng), rung.epochs, 0, -1, index});
  }
  const Rung& before = rungs_[k - 1];
  std::vector<TrialRecord> previous;
  for (const auto& t : finished) {
    if (t.index >= before.first_index && t.index < before.first_index + before.trials) previous.push_back(t);
  }
  if (static_cast<int>(previous.size()) < before.trials) return PlanRequest::wait();
  const TrialRecord parent = ranked(previous).at(static_cast<size_t>(index - rung.first_index));
  const int origin = parent.plan.origin >= 0 ? parent.plan.origin : parent.index;
  return PlanRequest::run({parent.plan.point, rung.epochs, static_cast<int>(k), parent.index, origin});
}

}  // namespace nnlab
