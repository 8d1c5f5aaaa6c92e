#include "nnlab/train/train.h"

#include <limits>
#include <stdexcept>

#include "nnlab/kernels/threads.h"
#include "nnlab/losses/loss_factory.h"
#include "nnlab/model/model_spec.h"
#include "nnlab/optim/schedule.h"
#include "nnlab/train/early_stopping.h"
#include "nnlab/train/optimization_callbacks.h"

namespace nnlab {

namespace {

// --augment auto moves images by up to 2 pixels for a model with convolutions, whose filters
// are made to find a stroke wherever it is; an MLP's results stay as they were.
bool has_convolution(const Module<float>& module) {
  if (module.type() == "Conv2d") return true;
  for (const auto& [name, child] : module.children()) {
    if (has_convolution(*child)) return true;
  }
  return false;
}

Augmentation augmentation(const TrainConfig& config, const Module<float>& model, const Shape& sample) {
  if (config.augment == "auto") return has_convolution(model) ? Augmentation::shift(2) : Augmentation::none();
  Augmentation augment = Augmentation::parse(config.augment);
  if (augment.enabled() && sample.rank() != 3) {
    throw std::invalid_argument("--augment " + config.augment + " needs image data, got samples of shape " +
                                sample.str());
  }
  return augment;
}

// The model's outputs: one per class, or one per target value.
int64_t output_count(const Dataset& data) {
  if (data.classification()) return data.num_classes;
  return data.y.rank() >= 2 ? data.y.row_size() : 1;
}

}  // namespace

TrainValidation split_data(const TrainConfig& config, const Dataset& data, Rng& rng) {
  if (data.size() == 0) throw std::invalid_argument("no training data");
  const Dataset* source = &data;
  Dataset first;
  if (config.train_size > 0 && config.train_size < data.size()) {
    first = data.slice(0, config.train_size);
    source = &first;
  }
  if (config.val_split == 0) return {*source, Dataset{}};
  if (config.split_seed) {
    Rng split_rng(*config.split_seed);
    return split_validation(*source, config.val_split, split_rng);
  }
  return split_validation(*source, config.val_split, rng);
}

Training::Training(const TrainConfig& config, const Dataset& data, TrainCallbacks callbacks)
    : config_((check(config), config)), rng_(config.seed), model_(Shape{}), init_(initializer(config_)) {
  TrainValidation split = split_data(config_, data, rng_);
  train_ = std::move(split.train);
  validation_ = std::move(split.validation);
  setup({.samples = train_.size(),
         .validation = validation_.size(),
         .outputs = output_count(data),
         .classification = data.classification(),
         .sample = train_.sample_shape()},
        std::move(callbacks));
}

Training::Training(const TrainConfig& config, const Dataset& train, const Dataset& validation, TrainCallbacks callbacks)
    : config_((check(config), config)), rng_(config.seed), model_(Shape{}), init_(initializer(config_)) {
  if (config_.val_split != 0) {
    throw std::invalid_argument("validation data given and --val-split " + std::to_string(config_.val_split) +
                                ": give one or the other (val_split 0 with validation data)");
  }
  if (validation.size() > 0 && validation.sample_shape() != train.sample_shape()) {
    throw std::invalid_argument("validation samples of shape " + validation.sample_shape().str() +
                                " differ from the training samples' " + train.sample_shape().str());
  }
  if (validation.size() > 0 && validation.classification() != train.classification()) {
    throw std::invalid_argument(std::string("validation data of ") +
                                (validation.classification() ? "classes" : "values") + " for training data of " +
                                (train.classification() ? "classes" : "values"));
  }
  TrainValidation split = split_data(config_, train, rng_);
  train_ = std::move(split.train);
  validation_ = validation;
  setup({.samples = train_.size(),
         .validation = validation_.size(),
         .outputs = output_count(train),
         .classification = train.classification(),
         .sample = train_.sample_shape()},
        std::move(callbacks));
}

Training::Training(const TrainConfig& config, const DataStream& data, TrainCallbacks callbacks)
    : config_((check(config), config)), rng_(config.seed), model_(Shape{}), init_(initializer(config_)) {
  if (config_.train_size > 0) {
    throw std::invalid_argument("--train-size needs the data in memory; this table is streamed from its file");
  }
  DataStream::Parts parts = data.split(config_.val_split);
  train_stream_ = std::move(parts.first);
  validation_stream_ = std::move(parts.second);
  setup({.samples = train_stream_->size(),
         .validation = validation_stream_->size(),
         .outputs = data.outputs(),
         .classification = data.classification(),
         .sample = data.sample_shape()},
        std::move(callbacks));
}

void Training::setup(const DataShape& data, TrainCallbacks callbacks) {
  if (data.samples == 0) throw std::invalid_argument("no training data");
  validation_size_ = data.validation;
  spec_ = model_spec(config_, data.outputs);
  if (config_.split_seed) rng_ = Rng(config_.seed);
  if (config_.shuffle_seed) shuffle_rng_.emplace(*config_.shuffle_seed);
  if (config_.early_stopping > 0 && config_.early_stopping_metric == "val_accuracy" && !data.classification) {
    throw std::invalid_argument(
        "--early-stopping-metric val_accuracy needs classes; the data holds values: use val_loss");
  }
  if (config_.early_stopping > 0 && data.validation == 0) {
    throw std::invalid_argument("--early-stopping needs validation data: raise --val-split");
  }
  threads_ = thread_count(config_);
  loss_ = make_loss<float>(loss_spec(config_, data.classification));
  model_ = build_model<float>(spec_, data.sample);
  if (model_.output_shape().numel() != data.outputs) {
    const std::string wanted = std::to_string(data.outputs);
    throw std::invalid_argument(
        "--model " + spec_ + " gives " + std::to_string(model_.output_shape().numel()) + " outputs, the data has " +
        wanted + (data.classification ? " classes" : " target values") + ": end it with linear:" + wanted);
  }
  model_.initialize(init_, rng_);
  model_.check_trainable();
  augment_ = augmentation(config_, model_, data.sample);

  optimizer_options_ = nnlab::optimizer_options(config_);
  optimizer_ = make_optimizer<float>(optimizer_options_, model_.parameters());
  const int64_t samples = data.samples;
  const int64_t batch = std::min(config_.batch_size, samples);
  const int64_t batches = (samples + batch - 1) / batch;
  const int64_t steps_per_epoch = (batches + config_.accumulate_steps - 1) / config_.accumulate_steps;
  const int64_t max_iterations = std::numeric_limits<int>::max() * steps_per_epoch;
  if (config_.iterations > max_iterations) {
    throw std::invalid_argument("--iterations " + std::to_string(config_.iterations) + " at " +
                                std::to_string(steps_per_epoch) + " steps per epoch needs more than " +
                                std::to_string(std::numeric_limits<int>::max()) + " epochs; give at most " +
                                std::to_string(max_iterations));
  }
  const int64_t total_steps = config_.iterations > 0 ? config_.iterations : config_.epochs * steps_per_epoch;
  auto schedule = parse_schedule(config_.schedule, optimizer_options_.lr, total_steps);
  schedule_ = schedule->str();

  trainer_ = std::make_unique<Trainer>(model_, *loss_, *optimizer_);
  // The monitor first, so that it sees the gradients before any clipping.
  for (auto& c : callbacks.before) trainer_->add_callback(std::move(c));
  trainer_->add_callback(std::make_shared<LearningRateScheduler>(std::move(schedule)));
  if (config_.clip_norm > 0) {
    trainer_->add_callback(std::make_shared<GradientClipper>(GradientClipper::Mode::kNorm, config_.clip_norm));
  }
  if (config_.clip_value > 0) {
    trainer_->add_callback(std::make_shared<GradientClipper>(GradientClipper::Mode::kValue, config_.clip_value));
  }
  if (config_.early_stopping > 0) {
    // Before the progress printer, whose closing line then names the restored epoch.
    trainer_->add_callback(std::make_shared<EarlyStopping>(EarlyStoppingOptions{
        .monitor = config_.early_stopping_metric, .patience = config_.early_stopping, .min_delta = config_.min_delta}));
  }
  for (auto& c : callbacks.after) trainer_->add_callback(std::move(c));
}

History Training::fit() {
  const ThreadScope threads(threads_);
  const FitOptions options{.epochs = config_.epochs,
                           .iterations = config_.iterations,
                           .batch_size = config_.batch_size,
                           .shuffle = true,
                           .augment = augment_,
                           .accumulate_steps = config_.accumulate_steps};
  Rng& rng = shuffle_rng_ ? *shuffle_rng_ : rng_;
  if (train_stream_) {
    train_loader_ = train_stream_->loader(config_.batch_size, rng, /*shuffle=*/true);
    validation_loader_ = validation_stream_->size() > 0
                             ? validation_stream_->loader(config_.batch_size, validation_rng_, /*shuffle=*/false)
                             : nullptr;
    return trainer_->fit(*train_loader_, validation_loader_.get(), options, rng);
  }
  return trainer_->fit(train_, validation_.size() > 0 ? &validation_ : nullptr, options, rng);
}

TrainResult train(const TrainConfig& config, const Dataset& data, TrainCallbacks callbacks) {
  Training run(config, data, std::move(callbacks));
  History history = run.fit();
  return {run.take_model(), std::move(history)};
}

}  // namespace nnlab
