#pragma once
// The classic experiments as the lab runs them (apps/nnlab/experiment_*.cpp writes them as files):
// each publishes to a feed an "experiment" event (what it is, its lesson, what its chart needs)
// then a "result" event for every part as soon as that part is done (an optimizer's path, an
// initialiser's histograms, a weight scale's two curves, a remedy's curves), so that the page's
// chart fills in while it runs.
//
//   optimizer-paths        {"surface": "bowl"|"saddle", "x": -7, "y": 2, "steps": 30}
//   activation-histograms  {"activation": "sigmoid"|"tanh"|"relu"}
//   optimizers-mnist       {}   (the textbook's six optimizers, 2,000 iterations each)
//   inits-mnist            {}   (std 0.01, Xavier, He with SGD)
//   search                 {"trials": 30}   (random search of lr and weight decay on the spirals)
//   batchnorm              {}   (on MNIST)
//   overfitting            {}   (on MNIST)
//   early-stopping         {}   (on MNIST)

#include <atomic>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "nnlab/lab/run_feed.h"

namespace nnlab::lab {

struct LabExperiment {
  std::string name;    // "optimizer-paths"
  std::string title;   // "Optimizer paths"
  std::string lesson;  // one sentence
};
const std::vector<LabExperiment>& lab_experiments();

// The experiment, checked: throws std::invalid_argument naming the experiment or the parameter
// and the value that make no sense. The returned function runs it, publishing to `feed`; it
// looks at `stop` between its parts.
std::function<void(RunFeed& feed, const std::atomic<bool>& stop)> prepare_experiment(const std::string& name,
                                                                                     const nlohmann::json& params);

}  // namespace nnlab::lab
