#pragma once
// The training recipe, in one place: spec → model → initialiser → optimizer → schedule →
// clipping → early stopping → fit, all from a TrainConfig.
//
//   TrainConfig config;
//   config.model = "simple-cnn";
//   TrainResult result = train(config, data.train, {.after = {std::make_shared<ProgressPrinter>()}});
//   Metrics test = evaluate(result.model, loss, data.test);
//
// Training is the same recipe in its parts, for callers that look inside: at the
// model before fit (an experiment that copies in its starting weights), at the trainer
// (a run resumed from a checkpoint) or at the validation split.
//
// The generators: one Rng(seed) splits off the validation samples (unless split_seed gives
// the split its own; with val_split 0 nothing is split or drawn), initialises the weights,
// then shuffles and augments the batches (unless shuffle_seed gives them their own).

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "nnlab/data/dataset.h"
#include "nnlab/losses/softmax_cross_entropy.h"
#include "nnlab/model/sequential.h"
#include "nnlab/optim/optimizer.h"
#include "nnlab/train/callback.h"
#include "nnlab/train/history.h"
#include "nnlab/train/train_config.h"
#include "nnlab/train/trainer.h"

namespace nnlab {

// The caller's callbacks, around the config's own (schedule, clipping, early stopping):
// `before` see each step's gradients before clipping (a Monitor); `after` see each epoch
// after early stopping has decided (progress display, checkpoints).
struct TrainCallbacks {
  std::vector<std::shared_ptr<Callback>> before = {};
  std::vector<std::shared_ptr<Callback>> after = {};
};

class Training {
 public:
  // Checks the config (std::invalid_argument naming the flag), splits `data` (which must
  // outlive the run only until the constructor returns: the run keeps its own parts), builds
  // and initialises the model and sets up the optimizer and callbacks.
  Training(const TrainConfig& config, const Dataset& data, TrainCallbacks callbacks = {});
  // The same with validation data of the caller's own (Keras's validation_data) instead of a
  // share split off `train`: the config's val_split must be 0 and train_size still applies to
  // `train`. Nothing is drawn for a split, so the weights come first from Rng(seed).
  Training(const TrainConfig& config, const Dataset& train, const Dataset& validation, TrainCallbacks callbacks = {});
  // The same on data read from disk each epoch (a streamed table, which must outlive the run):
  // the validation samples are a part of it split off without drawing from the generator
  // (DataStream::split), and train_size is refused.
  Training(const TrainConfig& config, const DataStream& data, TrainCallbacks callbacks = {});
  Training(const Training&) = delete;
  Training& operator=(const Training&) = delete;

  // Trains, on the config's threads; throws TrainingDiverged.
  History fit();

  const TrainConfig& config() const { return config_; }
  Sequential<float>& model() { return model_; }
  Trainer& trainer() { return *trainer_; }
  Loss<float>& loss() { return *loss_; }
  // In memory (empty when streamed).
  const Dataset& train_data() const { return train_; }
  const Dataset& validation_data() const { return validation_; }
  int64_t validation_size() const { return validation_size_; }
  const std::string& spec() const { return spec_; }
  const Initializer& init() const { return init_; }
  const Augmentation& augment() const { return augment_; }
  const OptimizerOptions& optimizer_options() const { return optimizer_options_; }
  // "cosine(lr 0.001 → 0 over 2500 steps)".
  const std::string& schedule() const { return schedule_; }
  int threads() const { return threads_; }

  // Moves the trained model out (the run is done with it).
  Sequential<float> take_model() { return std::move(model_); }

 private:
  struct DataShape {
    int64_t samples = 0, validation = 0, outputs = 0;
    bool classification = true;
    Shape sample;
  };
  void setup(const DataShape& data, TrainCallbacks callbacks);

  TrainConfig config_;
  Rng rng_;
  std::optional<Rng> shuffle_rng_;  // with shuffle_seed
  Dataset train_, validation_;
  std::unique_ptr<DataStream> train_stream_, validation_stream_;
  std::unique_ptr<BatchSource> train_loader_, validation_loader_;
  Rng validation_rng_{0};  // unused: validation is not shuffled
  int64_t validation_size_ = 0;
  std::string spec_;
  Sequential<float> model_;
  Initializer init_;
  Augmentation augment_;
  OptimizerOptions optimizer_options_;
  std::string schedule_;
  int threads_ = 1;
  std::unique_ptr<Optimizer<float>> optimizer_;
  std::unique_ptr<Loss<float>> loss_;
  std::unique_ptr<Trainer> trainer_;
};

// The config's training and validation samples (train_size, val_split): the split draws from
// `rng`, or from a generator of its own with split_seed; with val_split 0 nothing is drawn.
TrainValidation split_data(const TrainConfig& config, const Dataset& data, Rng& rng);

struct TrainResult {
  Sequential<float> model;
  History history;
};

// Trains a model as the config says on `data` (of which val_split is held out).
TrainResult train(const TrainConfig& config, const Dataset& data, TrainCallbacks callbacks = {});

}  // namespace nnlab
