#pragma once
// A search strategy decides what trial `index` trains, from the trials finished
// so far. The runner asks for trials 0, 1, 2, … and skips those already in the
// results file, so a strategy's plan for a trial must depend only on (seed, index)
// and the finished trials: that is what lets a killed search resume.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "nnlab/search/search_space.h"
#include "nnlab/search/trial.h"

namespace nnlab {

struct PlanRequest {
  enum class Status { kRun, kWait, kDone };
  Status status = Status::kDone;
  TrialPlan plan{};

  static PlanRequest run(TrialPlan plan) { return {Status::kRun, std::move(plan)}; }
  static PlanRequest wait() { return {Status::kWait, {}}; }
  static PlanRequest done() { return {Status::kDone, {}}; }
};

class SearchStrategy {
 public:
  virtual ~SearchStrategy() = default;
  // The plan for trial `index`. kWait: it depends on trials still running (ask
  // again when one finishes); kDone: the strategy has no more trials.
  virtual PlanRequest plan(int index, const std::vector<TrialRecord>& finished) = 0;
  virtual std::string name() const = 0;
};

// An independent generator for trial `index` of a search seeded with `seed`
// (SplitMix64 of both), so a trial's random draws do not depend on which worker
// runs it or on what ran before it.
uint64_t trial_seed(uint64_t seed, int index);

}  // namespace nnlab
