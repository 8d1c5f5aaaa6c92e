#pragma once
// TrainConfig: everything that decides the result of a training run, in one place: the
// model, its initialiser, the optimizer and its options, the schedule, clipping, weight
// decay, augmentation, batches, epochs, validation, early stopping, accumulation, seeds
// and threads. `nnlab train`, `nnlab search`, the experiments and the library example all
// train through it (train.h), so the same config gives the same run wherever it is used.
//
//   TrainConfig config;                      // nnlab train's defaults: a 512-256 ReLU MLP, Adam, cosine
//   config.model = "resnet";
//   config.epochs = 5;
//   TrainResult result = train(config, data.train);
//
// Its three textual forms are made here and nowhere else: JSON (checkpoints and histories
// keep it), the `nnlab train` flags that rebuild it (train_args: a search prints its best
// trial's command with them), and the check of its values, whose messages name the flag.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "nnlab/data/augmentation.h"
#include "nnlab/init/initializer.h"
#include "nnlab/optim/factory.h"

namespace nnlab {

struct TrainConfig {
  // The model: a spec or preset ("resnet", "linear:100,relu,linear:10"); empty: a multilayer
  // perceptron of `hidden` widths with `activation`, and a Dropout of `dropout` after each
  // hidden activation when it is above 0.
  std::string model;
  std::vector<int64_t> hidden = {512, 256};
  std::string activation = "relu";
  double dropout = 0;
  std::string init = "auto";  // auto: he-normal for ReLU networks, xavier-normal otherwise
  // cross-entropy, mse, mae, huber[:DELTA] (loss_factory.h); auto: cross-entropy for data of
  // classes, mse for data of values (regression).
  std::string loss = "auto";

  OptimizerOptions optimizer{"adam", 0.0, {}};  // lr 0: the optimizer's default_lr
  double weight_decay = 0;                      // L2 (decoupled for adamw)
  double l1 = 0;
  std::string schedule = "cosine";
  double clip_norm = 0;
  double clip_value = 0;

  std::string augment = "auto";  // auto: shift:2 for a model with convolutions, none otherwise
  int64_t batch_size = 64;
  int64_t accumulate_steps = 1;  // batches per optimizer step (gradient accumulation)
  int epochs = 20;
  int64_t iterations = 0;  // > 0: this many optimizer steps instead of epochs
  int64_t train_size = 0;  // train on the first N samples only (0: all)
  double val_split = 0.1;  // share of those held out for validation

  int early_stopping = 0;  // patience in epochs; 0: off
  std::string early_stopping_metric = "val_loss";
  double min_delta = 0;

  // One generator from `seed` splits off the validation samples (with val_split above 0),
  // initialises the weights and draws the batches, in that order. With split_seed the split
  // has its own generator, and the weights and batches come from a fresh one of `seed`: a
  // search validates every trial on the same samples that way. With shuffle_seed the
  // batches (their order and augmentation) have their own generator too, so that runs that
  // draw differently at initialisation (with and without Dropout) see the same batches.
  uint64_t seed = 0;
  std::optional<uint64_t> split_seed;
  std::optional<uint64_t> shuffle_seed;
  int threads = 0;  // 0: all cores
};

// Learning rates that train MNIST-sized networks well with each optimizer.
double default_lr(const std::string& optimizer);

// Throws std::invalid_argument naming the flag and the value that make no sense.
void check(const TrainConfig& config);

// The config's learning rate (the optimizer's default for lr 0), and its optimizer options
// with that rate and the weight decay.
OptimizerOptions optimizer_options(const TrainConfig& config);
// The initialiser: `init`, or for "auto" He for ReLU networks and Xavier for the others.
Initializer initializer(const TrainConfig& config);
// The model spec for `outputs` outputs (the classes, or the values of a regression): `model`
// (a preset by its name for 10 outputs, expanded with its last layer for `outputs` otherwise),
// or the MLP.
std::string model_spec(const TrainConfig& config, int64_t outputs);
// The loss for `data`: `loss`, or for "auto" cross-entropy for classes and mse for values.
// Throws std::invalid_argument naming --loss when it does not suit the data (a regression loss
// on class labels, cross-entropy on values).
std::string loss_spec(const TrainConfig& config, bool classification);
// The threads it runs on: `threads`, or every core for 0.
int thread_count(const TrainConfig& config);

nlohmann::json to_json(const TrainConfig& config);
// Fields missing from `j` keep their defaults; throws std::invalid_argument naming a field
// of the wrong type or value.
TrainConfig train_config_from_json(const nlohmann::json& j);

// The `nnlab train` flags that rebuild `config`, those that differ from the defaults, in
// the order of the struct: {"--model", "resnet", "--epochs", "5"}. Numbers are written
// exactly (a rate of 0.0123456789 is not rounded), so the command gives the same run.
std::vector<std::string> train_args(const TrainConfig& config);
// "nnlab train --model resnet --epochs 5", quoted for a POSIX shell where needed.
std::string train_command(const TrainConfig& config);

}  // namespace nnlab
