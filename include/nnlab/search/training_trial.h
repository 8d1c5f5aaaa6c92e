#pragma once
// What a hyperparameter-search trial trains: a multilayer perceptron with the
// fixed settings, overridden by the searched ones, trained with the Trainer on the
// training part and scored on the validation part after every epoch. The test set
// never appears here: it is used once, after the search.
//
// Searchable names: lr, weight_decay, dropout (a Dropout after each hidden
// activation), hidden (the width of every hidden layer), depth (the number of
// hidden layers), batch_size, optimizer (a choice of optimizer names), momentum.

#include <cstdint>
#include <string>
#include <vector>

#include "nnlab/data/dataset.h"
#include "nnlab/model/sequential.h"
#include "nnlab/search/search_space.h"
#include "nnlab/search/trial.h"
#include "nnlab/train/history.h"

namespace nnlab {

struct TrainingSettings {
  std::vector<int64_t> hidden = {100, 100, 100, 100, 100, 100};
  std::string activation = "relu";
  std::string init = "he-normal";
  std::string optimizer = "sgd";
  double lr = 0.01;
  double weight_decay = 0;
  double momentum = 0.9;
  double dropout = 0;
  int64_t batch_size = 100;
};

const std::vector<std::string>& searchable_parameters();

// Throws std::invalid_argument naming a dimension that is not searchable, or whose
// range makes no sense for it (a negative lr, dropout >= 1, an unknown optimizer).
void check_searchable(const SearchSpace& space);

// `base` with the point's values in place of the fixed ones.
TrainingSettings with_point(TrainingSettings base, const SearchSpace& space, const Point& point);

// "linear:100,relu,dropout:0.2,...,linear:10".
std::string model_spec(const TrainingSettings& settings, int64_t outputs);

// Builds, initialises and trains the model with `seed`'s generator (the same seed
// gives the same model); `history` gets the epochs' records. Throws TrainingDiverged.
Sequential<float> train_configuration(const TrainingSettings& settings, const Dataset& train, const Dataset& validation,
                                      int epochs, uint64_t seed, History& history);

// One trial: trains and records the validation accuracy per epoch. A diverged
// run gives a record with diverged set and score NaN rather than an exception.
TrialRecord run_training_trial(const TrainingSettings& settings, const Dataset& train, const Dataset& validation,
                               int epochs, uint64_t seed);

}  // namespace nnlab
