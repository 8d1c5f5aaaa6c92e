#pragma once
// What a hyperparameter-search trial trains: the search's TrainConfig (nnlab train's flags
// and defaults) with the trial's point in place of the fixed values, trained by train()
// on the training part and scored on the validation part after every epoch. Every trial
// validates on the same samples (the split has its own seed); the test set never appears
// here: it is used once, after the search.
//
// Searchable names: lr, weight_decay, dropout (a Dropout after each hidden activation),
// hidden (the width of every hidden layer), depth (the number of hidden layers),
// batch_size, optimizer (a choice of optimizer names), momentum.

#include <cstdint>
#include <string>
#include <vector>

#include "nnlab/data/dataset.h"
#include "nnlab/search/search_space.h"
#include "nnlab/search/trial.h"
#include "nnlab/train/train_config.h"

namespace nnlab {

const std::vector<std::string>& searchable_parameters();

// Throws std::invalid_argument naming a dimension that is not searchable, or whose
// range makes no sense for it (a negative lr, dropout >= 1, an unknown optimizer), or
// one that `fixed` cannot take (hidden, depth or dropout with a --model spec).
void check_searchable(const SearchSpace& space, const TrainConfig& fixed);

// `base` with the point's values in place of the fixed ones.
TrainConfig with_point(TrainConfig base, const SearchSpace& space, const Point& point);

// The whole config of a search's trial: the point, the trial's epochs, its own seed for the
// weights and batches (trial_seed of the search's seed and the trial it continues, so that
// a trial is the same whenever it runs), and the search's split seed, so that every trial
// validates on the same samples. `nnlab train` with train_args of it is the same run.
TrainConfig trial_config(const TrainConfig& fixed, const SearchSpace& space, const TrialPlan& plan, int index,
                         int threads);

// One trial: trains and records the validation accuracy per epoch. A diverged
// run gives a record with diverged set and score NaN rather than an exception.
TrialRecord run_training_trial(const TrainConfig& config, const Dataset& data);

}  // namespace nnlab
