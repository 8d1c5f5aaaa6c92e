#include "nnlab/search/bayesian_search.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace nnlab {

BayesianSearch::BayesianSearch(SearchSpace space, uint64_t seed, int trials, int epochs, Options options)
    : space_(std::move(space)), seed_(seed), trials_(trials), epochs_(epochs), options_(options) {}

PlanRequest BayesianSearch::plan(int index, const std::vector<TrialRecord>& finished) {
  if (trials_ > 0 && index >= trials_) return PlanRequest::done();
  Rng rng(trial_seed(seed_, index));
  std::vector<std::vector<double>> x;
  std::vector<double> y;
  double worst = 1, sum = 0;
  int scored = 0;
  for (const auto& t : finished) {
    if (!std::isfinite(t.score)) continue;
    worst = std::min(worst, t.score);
    sum += t.score;
    ++scored;
  }
  if (index < options_.initial_trials || scored < 2) {
    Point point = space_.sample(rng);
    proposed_[index] = point;
    return PlanRequest::run({point, epochs_});
  }
  std::set<int> done;
  for (const auto& t : finished) {
    done.insert(t.index);
    x.push_back(space_.to_unit(t.plan.point));
    y.push_back(std::isfinite(t.score) ? t.score : worst);
  }
  const double best = *std::max_element(y.begin(), y.end());
  // Constant liars: pending trials pretend to score the mean, which lowers EI near them.
  for (const auto& [pending, point] : proposed_) {
    if (!done.count(pending) && pending != index) {
      x.push_back(space_.to_unit(point));
      y.push_back(sum / scored);
    }
  }
  GaussianProcess gp;
  gp.fit(x, y);

  // Candidates snap to the space's grid of integers and choices, so EI scores what would be trained.
  std::vector<size_t> order(finished.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return y[a] > y[b]; });
  const size_t dims = space_.size();
  std::vector<double> best_unit;
  double best_ei = -1;
  for (int c = 0; c < options_.candidates; ++c) {
    std::vector<double> unit(dims);
    if (c % 2 == 0 || order.empty()) {
      for (double& u : unit) u = rng.uniform();
    } else {
      const auto& centre = x[order[static_cast<size_t>(c / 2) % std::min<size_t>(5, order.size())]];
      for (size_t d = 0; d < dims; ++d) unit[d] = std::clamp(centre[d] + 0.05 * rng.normal(), 0.0, 1.0);
    }
    unit = space_.to_unit(space_.from_unit(unit));
    double mean = 0, sd = 0;
    gp.predict(unit, mean, sd);
    const double ei = expected_improvement(mean, sd, best, options_.xi);
    if (ei > best_ei) {
      best_ei = ei;
      best_unit = unit;
    }
  }
  Point point = space_.from_unit(best_unit);
  proposed_[index] = point;
  return PlanRequest::run({point, epochs_});
}

}  // namespace nnlab
