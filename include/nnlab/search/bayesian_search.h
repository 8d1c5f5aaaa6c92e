#pragma once
// Bayesian search: a Gaussian-process surrogate of validation accuracy over the
// unit cube (Matérn 5/2, length scale and noise fitted by a grid, see
// gaussian_process.h) and expected improvement as the acquisition function.
//
// The first `initial_trials` trials are random (the same points RandomSearch
// draws for those indices). After that, trial i fits the GP to every finished
// trial (diverged ones count as the worst score seen), scores `candidates` random
// points of the cube plus as many perturbations (σ = 0.05) of the five best points
// by EI (ξ = 0.01 in accuracy units) and trains the best. The candidates come from
// trial_seed(seed, i), so on resume trial i is planned by refitting the loaded
// results. Trials still running are added to the fit as "constant liars" at the
// mean score, so that two workers do not propose the same point; with more than
// one worker the sequence therefore depends on which trials finished first.

#include <map>

#include "nnlab/search/gaussian_process.h"
#include "nnlab/search/strategy.h"

namespace nnlab {

class BayesianSearch final : public SearchStrategy {
 public:
  struct Options {
    int initial_trials = 10;
    int candidates = 4000;  // half uniform over the cube, half near the best points
    double xi = 0.01;
  };

  BayesianSearch(SearchSpace space, uint64_t seed, int trials, int epochs, Options options);
  PlanRequest plan(int index, const std::vector<TrialRecord>& finished) override;
  std::string name() const override { return "bayes"; }

 private:
  SearchSpace space_;
  uint64_t seed_;
  int trials_;
  int epochs_;
  Options options_;
  std::map<int, Point> proposed_;  // what this process planned, to spot trials still running
};

}  // namespace nnlab
