#include "nnlab/experiments/regularization.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "nnlab/experiments/experiment_config.h"
#include "nnlab/losses/softmax_cross_entropy.h"
#include "nnlab/model/model_spec.h"
#include "nnlab/train/train.h"

namespace nnlab {

namespace {

// Batches are drawn from their own generator, seeded apart from the weights', so that
// a layer that draws at initialisation (Dropout reseeds itself) cannot shift them.
uint64_t batch_seed(uint64_t seed) { return seed + 0x9e3779b97f4a7c15ULL; }

Dataset first(const Dataset& data, int64_t count) {
  if (count > data.size()) {
    throw std::invalid_argument("the experiment needs " + std::to_string(count) + " training images, the data has " +
                                std::to_string(data.size()));
  }
  return data.slice(0, count);
}

// A run of these experiments: experiment_config's, for epochs of batches drawn from their own
// generator (batch_seed), so that layers drawing at initialisation cannot shift them.
TrainConfig regularization_config(const std::string& spec, const Initializer& init, const OptimizerOptions& optimizer,
                                  int epochs, int64_t batch_size, uint64_t seed) {
  TrainConfig c = experiment_config(spec, init, optimizer, seed);
  c.epochs = epochs;
  c.batch_size = batch_size;
  c.shuffle_seed = batch_seed(seed);
  return c;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

std::string deep_mlp_spec(int hidden_layers, int64_t units, int64_t outputs, const std::string& normalization,
                          double dropout) {
  std::string spec;
  char p[32];
  std::snprintf(p, sizeof p, "%g", dropout);
  const std::string dropout_token = std::string("dropout:") + p;
  for (int i = 0; i < hidden_layers; ++i) {
    spec += "linear:" + std::to_string(units) + (normalization.empty() ? "" : "," + normalization) + ",relu";
    if (dropout > 0) spec += "," + dropout_token;
    spec += ",";
  }
  return spec + "linear:" + std::to_string(outputs);
}

std::vector<double> log_spaced(double from, double to, int count) {
  std::vector<double> values(static_cast<size_t>(std::max(count, 0)));
  const double a = std::log10(from), b = std::log10(to);
  for (int i = 0; i < count; ++i) {
    values[static_cast<size_t>(i)] = std::pow(10.0, count == 1 ? a : a + (b - a) * i / (count - 1));
  }
  return values;
}

void EpochEvaluator::on_epoch_end(TrainState& state, const EpochRecord& /*record*/) {
  for (size_t d = 0; d < data_.size(); ++d) metrics_[d].push_back(evaluate_in_place(state.model, loss_, *data_[d]));
}

std::vector<double> EpochEvaluator::accuracy(size_t data_index) const {
  std::vector<double> out;
  for (const Metrics& m : metrics_.at(data_index)) out.push_back(m.accuracy);
  return out;
}

std::vector<double> EpochEvaluator::loss(size_t data_index) const {
  std::vector<double> out;
  for (const Metrics& m : metrics_.at(data_index)) out.push_back(m.loss);
  return out;
}

// ---- BatchNorm ------------------------------------------------------------------------

std::vector<double> textbook_weight_stds() { return log_spaced(1.0, 1e-4, 16); }

std::vector<BatchNormCurves> batchnorm_comparison(const Dataset& train, const BatchNormSettings& settings,
                                                  const std::vector<double>& weight_stds) {
  const Dataset images = first(train, settings.train_size);
  std::vector<BatchNormCurves> curves;
  for (double std : weight_stds) {
    BatchNormCurves c;
    c.weight_std = std;
    for (bool batchnorm : {false, true}) {
      // BatchNorm draws nothing at initialisation, so both networks get the same Linear weights.
      std::string normalization;
      if (batchnorm) {
        char token[48];
        std::snprintf(token, sizeof token, "batchnorm:eps=%g", settings.eps);
        normalization = settings.eps == 1e-5 ? "batchnorm" : token;
      }
      const TrainConfig config =
          regularization_config(deep_mlp_spec(settings.hidden_layers, settings.units, train.num_classes, normalization),
                                Initializer::normal(std), OptimizerOptions{"sgd", settings.lr, WeightDecay::none()},
                                settings.epochs, settings.batch_size, settings.seed);
      SoftmaxCrossEntropy<float> loss;
      auto evaluator = std::make_shared<EpochEvaluator>(loss, std::vector<const Dataset*>{&images});
      Training training(config, images, {.after = {evaluator}});
      try {
        training.fit();
      } catch (const TrainingDiverged& e) {
        (batchnorm ? c.batchnorm_diverged_step : c.plain_diverged_step) = e.step();
      }
      std::vector<double> accuracy = evaluator->accuracy(0);
      accuracy.resize(static_cast<size_t>(settings.epochs), NAN);
      (batchnorm ? c.batchnorm : c.plain) = std::move(accuracy);
    }
    curves.push_back(std::move(c));
  }
  return curves;
}

// ---- Overfitting ----------------------------------------------------------------------

std::vector<RegularizationRun> textbook_regularization_runs() {
  return {{"no regularisation", WeightDecay::none(), 0.0, 0},
          {"weight decay λ = 0.1", WeightDecay::l2(0.1), 0.0, 0},
          {"dropout 0.2", WeightDecay::none(), 0.2, 0}};
}

std::vector<OverfitOutcome> overfit_comparison(const TrainTest& data, const OverfitSettings& settings,
                                               const std::vector<RegularizationRun>& runs) {
  const Dataset images = first(data.train, settings.train_size);
  const int64_t classes = data.train.num_classes;
  // Every run starts from these weights: Dropout layers would otherwise shift the draws.
  Rng reference_rng(settings.seed);
  Sequential<float> reference =
      build_model<float>(deep_mlp_spec(settings.hidden_layers, settings.units, classes), images.sample_shape());
  reference.initialize(Initializer::he_normal(), reference_rng);
  const auto initial = reference.parameters();

  std::vector<OverfitOutcome> outcomes;
  for (const RegularizationRun& run : runs) {
    const auto start = std::chrono::steady_clock::now();
    OverfitOutcome o;
    o.label = run.label;
    o.model = deep_mlp_spec(settings.hidden_layers, settings.units, classes, "", run.dropout);
    const OptimizerOptions options{"sgd", settings.lr, run.decay};
    o.optimizer = describe(options);
    const int epochs = run.epochs > 0 ? run.epochs : settings.epochs;
    SoftmaxCrossEntropy<float> loss;
    auto evaluator = std::make_shared<EpochEvaluator>(loss, std::vector<const Dataset*>{&images, &data.test});
    Training training(
        regularization_config(o.model, Initializer::he_normal(), options, epochs, settings.batch_size, settings.seed),
        images, {.after = {evaluator}});
    const auto params = training.model().parameters();  // its Dropout layers are seeded; the weights come from above
    for (size_t i = 0; i < params.size(); ++i) {
      std::copy(initial[i].value->begin(), initial[i].value->end(), params[i].value->begin());
    }
    const History history = training.fit();
    o.train_accuracy = evaluator->accuracy(0);
    o.test_accuracy = evaluator->accuracy(1);
    for (const auto& e : history.epochs) o.train_loss.push_back(e.train_loss);
    o.seconds = seconds_since(start);
    outcomes.push_back(std::move(o));
  }
  return outcomes;
}

// ---- Early stopping -------------------------------------------------------------------

EarlyStoppingDemo early_stopping_demo(const TrainTest& data, const EarlyStoppingDemoSettings& settings) {
  const auto start = std::chrono::steady_clock::now();
  Rng split_rng(settings.seed);
  const TrainValidation split =
      split_validation(first(data.train, settings.train_size), settings.validation_share, split_rng);
  if (split.validation.size() == 0) throw std::invalid_argument("early stopping needs validation data");
  EarlyStoppingDemo demo;
  demo.model = deep_mlp_spec(settings.hidden_layers, settings.units, data.train.num_classes);
  demo.optimizer = describe(settings.optimizer);
  demo.train_images = split.train.size();
  demo.validation_images = split.validation.size();
  const FitOptions fit{.epochs = settings.max_epochs, .batch_size = settings.batch_size};

  // Two runs from the same seeds: without early stopping, measured on the test data after
  // every epoch for the chart, and with it. Nothing random differs, so the second is the
  // first cut short, and its restored model is the first run's model at the best epoch.
  for (bool early : {false, true}) {
    TrainConfig config = regularization_config(demo.model, Initializer::he_normal(), settings.optimizer,
                                               settings.max_epochs, settings.batch_size, settings.seed + 1);
    config.shuffle_seed = batch_seed(settings.seed);
    config.train_size = settings.train_size;
    config.val_split = settings.validation_share;
    config.split_seed = settings.seed;
    if (early) {
      config.early_stopping = settings.patience;
      config.early_stopping_metric = "val_loss";
      config.min_delta = settings.min_delta;
    }
    SoftmaxCrossEntropy<float> loss;
    auto evaluator = std::make_shared<EpochEvaluator>(loss, std::vector<const Dataset*>{&data.test});
    Training training(config, data.train, early ? TrainCallbacks{} : TrainCallbacks{.after = {evaluator}});
    History history = training.fit();
    Sequential<float>& model = training.model();
    if (early) {
      demo.stopped = std::move(history);
      demo.restored_validation = evaluate(model, loss, training.validation_data());
      demo.restored_test = evaluate(model, loss, data.test);
    } else {
      demo.epochs = history.epochs;
      demo.test = evaluator->metrics()[0];
      demo.final_test = evaluate(model, loss, data.test);
    }
  }
  demo.seconds = seconds_since(start);
  return demo;
}

}  // namespace nnlab
