#pragma once
// The settings of nnlab train, and their JSON form.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "nnlab/optim/factory.h"

namespace nnlab::cli {

struct TrainSettings {
  std::string model;  // a spec; empty: an MLP from hidden and activation
  std::vector<int64_t> hidden = {512, 256};
  std::string activation = "relu";
  std::string init = "auto";
  OptimizerOptions optimizer{"adam", 0.0, {}};  // lr 0: the optimizer's default_lr
  double weight_decay = 0.0;
  double l1 = 0.0;
  std::string schedule = "cosine";
  double clip_norm = 0.0;
  double clip_value = 0.0;
  std::string augment = "auto";  // auto: shift:2 for a model with convolutions, none otherwise
  int64_t batch_size = 64;
  int epochs = 20;
  int64_t iterations = 0;
  uint64_t seed = 0;
  int threads = 0;
  double val_split = 0.1;
  int early_stopping = 0;  // patience in epochs; 0: off
  std::string early_stopping_metric = "val_loss";
  double min_delta = 0.0;
  std::string data;
  std::string out = "runs/train";
  std::string save;
  std::string progress = "auto";
  bool monitor = false;  // record statistics inside the network (diagnostics::Monitor)
  int64_t monitor_every = 10;
  int checkpoint_every = 1;  // epochs between checkpoints in OUT (0: only when interrupted)
  std::string resume;        // a run's folder to continue
};

// The settings that decide a run's result, as JSON (a checkpoint keeps them, so that
// --resume rebuilds the same run) and back; from_json throws UsageError naming a bad field.
nlohmann::json train_settings_json(const TrainSettings& s);
TrainSettings train_settings_from_json(const nlohmann::json& j);

}  // namespace nnlab::cli
