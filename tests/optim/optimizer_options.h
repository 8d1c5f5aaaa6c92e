#pragma once
// The optimizer settings the optimizer tests share.

#include <string>

#include "nnlab/optim/factory.h"

namespace nnlab::test {

// Optimizer `name` at rate 0.05 with `decay`.
inline OptimizerOptions options(const std::string& name, WeightDecay decay = {}) {
  OptimizerOptions o;
  o.name = name;
  o.lr = 0.05;
  o.weight_decay = decay;
  return o;
}

}  // namespace nnlab::test
