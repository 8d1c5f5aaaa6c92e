#pragma once
// The TrainConfig the experiments start from: the textbook's plain training of one model
// with one initialiser and optimizer at a constant rate, on the images as they are (no
// augmentation, no validation split), the weights from Rng(seed), on the caller's threads.
// Each experiment then sets its epochs or iterations and batch size.

#include <string>

#include "nnlab/kernels/threads.h"
#include "nnlab/train/train_config.h"

namespace nnlab {

inline TrainConfig experiment_config(const std::string& spec, const Initializer& init,
                                     const OptimizerOptions& optimizer, uint64_t seed) {
  TrainConfig c;
  c.model = spec;
  c.init = init.str();
  c.optimizer = optimizer;
  c.schedule = "constant";
  c.augment = "none";
  c.val_split = 0;
  c.seed = seed;
  c.threads = num_threads();
  return c;
}

// The same with Adam at rate `lr` (its other settings PyTorch's defaults).
inline TrainConfig adam_experiment_config(const std::string& spec, const Initializer& init, double lr, uint64_t seed) {
  OptimizerOptions adam;
  adam.name = "adam";
  adam.lr = lr;
  return experiment_config(spec, init, adam, seed);
}

}  // namespace nnlab
