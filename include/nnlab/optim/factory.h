#pragma once
// Optimizers by name, for the command line and experiments.

#include <memory>
#include <string>
#include <vector>

#include "nnlab/optim/optimizer.h"

namespace nnlab {

struct OptimizerOptions {
  std::string name = "sgd";
  double lr = 0.1;
  WeightDecay weight_decay;
};

// Throws std::invalid_argument for an unknown name, listing the known ones.
template <typename T>
std::unique_ptr<Optimizer<T>> make_optimizer(const OptimizerOptions& options, std::vector<Parameter<T>> parameters);

const std::vector<std::string>& optimizer_names();

}  // namespace nnlab
