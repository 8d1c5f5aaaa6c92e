#include "nnlab/lab/lab_experiments.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "nnlab/data/data_source.h"
#include "nnlab/data/toy_datasets.h"
#include "nnlab/diagnostics/activation_stats.h"
#include "nnlab/experiments/activation_histograms.h"
#include "nnlab/experiments/optimizer_paths.h"
#include "nnlab/experiments/regularization.h"
#include "nnlab/experiments/training_comparison.h"
#include "nnlab/lab/run_settings.h"
#include "nnlab/search/random_search.h"
#include "nnlab/search/search_runner.h"
#include "nnlab/search/training_trial.h"
#include "nnlab/train/history.h"

namespace nnlab::lab {

namespace {

using Job = std::function<void(RunFeed&, const std::atomic<bool>&)>;

template <typename T>
T param(const nlohmann::json& params, const char* key, T fallback, const char* what) {
  if (!params.contains(key)) return fallback;
  try {
    return params.at(key).get<T>();
  } catch (const nlohmann::json::exception&) {
    throw std::invalid_argument(std::string(key) + ": must be " + what + ", got " + params.at(key).dump());
  }
}

const LabExperiment& info(const std::string& name) {
  for (const LabExperiment& e : lab_experiments()) {
    if (e.name == name) return e;
  }
  throw std::invalid_argument("experiment: unknown '" + name + "'");
}

nlohmann::json header(const std::string& name, nlohmann::json extra) {
  const LabExperiment& e = info(name);
  extra["name"] = e.name;
  extra["title"] = e.title;
  extra["lesson"] = e.lesson;
  return extra;
}

Job optimizer_paths(const nlohmann::json& params) {
  const std::string which = param<std::string>(params, "surface", "bowl", "bowl or saddle");
  if (which != "bowl" && which != "saddle")
    throw std::invalid_argument("surface: must be bowl or saddle, got '" + which + "'");
  Surface surface = which == "bowl" ? bowl_surface() : saddle_surface();
  surface.x0 = param<double>(params, "x", surface.x0, "a number");
  surface.y0 = param<double>(params, "y", surface.y0, "a number");
  const int steps = param<int>(params, "steps", 30, "an integer");
  if (steps < 1 || steps > 1000)
    throw std::invalid_argument("steps: must be from 1 to 1000, got " + std::to_string(steps));
  if (!std::isfinite(surface.x0) || !std::isfinite(surface.y0) || surface.x0 < surface.xmin ||
      surface.x0 > surface.xmax || surface.y0 < surface.ymin || surface.y0 > surface.ymax) {
    throw std::invalid_argument("x, y: the start must lie in the plotted box [" + std::to_string(surface.xmin) + ", " +
                                std::to_string(surface.xmax) + "] × [" + std::to_string(surface.ymin) + ", " +
                                std::to_string(surface.ymax) + "]");
  }
  return [surface, steps, which](RunFeed& feed, const std::atomic<bool>& stop) {
    constexpr int n = 120;
    std::vector<double> grid;
    for (int row = 0; row < n; ++row) {
      for (int col = 0; col < n; ++col) {
        const double x = surface.xmin + (col + 0.5) * (surface.xmax - surface.xmin) / n;
        const double y = surface.ymax - (row + 0.5) * (surface.ymax - surface.ymin) / n;
        grid.push_back(surface.f(x, y));
      }
    }
    feed.publish("experiment",
                 header("optimizer-paths", {{"surface", which},
                                            {"formula", surface.formula},
                                            {"box", {surface.xmin, surface.xmax, surface.ymin, surface.ymax}},
                                            {"start", {surface.x0, surface.y0}},
                                            {"resolution", n},
                                            {"levels", surface.levels},
                                            {"f", grid}}));
    for (const PathSetting& setting : which == "bowl" ? bowl_settings() : saddle_settings()) {
      if (stop) return;
      const OptimizerPath path = run_path(surface, setting, steps);
      feed.publish("result", {{"label", path.label},
                              {"optimizer", path.optimizer},
                              {"x", path.x},
                              {"y", path.y},
                              {"final_loss", path.loss.back()}});
    }
  };
}

Job histograms(const nlohmann::json& params) {
  const std::string activation = param<std::string>(params, "activation", "sigmoid", "sigmoid, tanh or relu");
  if (activation != "sigmoid" && activation != "tanh" && activation != "relu") {
    throw std::invalid_argument("activation: must be sigmoid, tanh or relu, got '" + activation + "'");
  }
  return [activation](RunFeed& feed, const std::atomic<bool>& stop) {
    const HistogramSettings settings;
    feed.publish("experiment",
                 header("activation-histograms", {{"activation", activation}, {"layers", settings.layers}}));
    const auto studies = activation_histograms(settings, {activation});
    for (const ActivationStudy& study : studies) {
      if (stop) return;
      nlohmann::json layers = nlohmann::json::array();
      for (const LayerActivations& layer : study.layers) {
        float top = 1;
        for (const float v : layer.values) top = std::max(top, v);
        const double lo = activation == "tanh" ? -1 : 0, hi = activation == "relu" ? top : 1;
        const auto bins = diagnostics::bin_values(layer.values, lo, hi, settings.bins);
        layers.push_back({{"mean", layer.mean}, {"std", layer.std}, {"lo", lo}, {"hi", hi}, {"counts", bins.counts}});
      }
      feed.publish("result", {{"init", study.init}, {"layers", layers}});
    }
  };
}

Job batchnorm(const nlohmann::json&) {
  return [](RunFeed& feed, const std::atomic<bool>& stop) {
    const std::vector<double> stds = {1.0, 0.1, 0.01, 0.001};
    feed.publish("experiment", header("batchnorm", {{"stds", stds}}));
    const LoadedData data = load_data("mnist");
    for (const double std : stds) {
      if (stop) return;
      const auto curves = batchnorm_comparison(data.split.train, BatchNormSettings{}, {std});
      const BatchNormCurves& c = curves.front();
      nlohmann::json plain = nlohmann::json::array(), normalised = nlohmann::json::array();
      for (const double v : c.plain) plain.push_back(json_number(v));
      for (const double v : c.batchnorm) normalised.push_back(json_number(v));
      feed.publish("result", {{"std", std}, {"plain", plain}, {"batchnorm", normalised}});
    }
  };
}

Job overfitting(const nlohmann::json&) {
  return [](RunFeed& feed, const std::atomic<bool>& stop) {
    const OverfitSettings settings;
    feed.publish("experiment",
                 header("overfitting", {{"train_size", settings.train_size}, {"epochs", settings.epochs}}));
    const LoadedData data = load_data("mnist");
    for (const RegularizationRun& run : textbook_regularization_runs()) {
      if (stop) return;
      const OverfitOutcome o = overfit_comparison(data.split, settings, {run}).front();
      feed.publish("result", {{"label", o.label},
                              {"train_accuracy", o.train_accuracy},
                              {"test_accuracy", o.test_accuracy},
                              {"gap", o.gap()}});
    }
  };
}

Job early_stopping(const nlohmann::json&) {
  return [](RunFeed& feed, const std::atomic<bool>&) {
    const EarlyStoppingDemoSettings settings;
    feed.publish("experiment",
                 header("early-stopping", {{"max_epochs", settings.max_epochs}, {"patience", settings.patience}}));
    const EarlyStoppingDemo demo = early_stopping_demo(load_data("mnist").split, settings);
    nlohmann::json train = nlohmann::json::array(), validation = nlohmann::json::array();
    for (const EpochRecord& r : demo.epochs) {
      train.push_back(json_number(r.train_loss));
      validation.push_back(json_number(r.val_loss));
    }
    feed.publish("result", {{"train_loss", train},
                            {"val_loss", validation},
                            {"best_epoch", demo.stopped.best_epoch},
                            {"stopped_epoch", demo.stopped.stopped_epoch},
                            {"restored_test_accuracy", json_number(demo.restored_test.accuracy)},
                            {"final_test_accuracy", json_number(demo.final_test.accuracy)}});
  };
}

// The optimizers (or initialisations) compared on MNIST, one training run at a time: each run's loss
// curve, smoothed over 50 iterations and taken every 10th, and its test accuracy.
Job mnist_comparison(const std::string& name, std::vector<TrainingRun> runs) {
  return [name, runs](RunFeed& feed, const std::atomic<bool>& stop) {
    const ComparisonSettings settings;
    feed.publish("experiment", header(name, {{"iterations", settings.iterations}, {"model", settings.model}}));
    const LoadedData data = load_data("mnist");
    for (const TrainingRun& run : runs) {
      if (stop) return;
      const TrainingOutcome o = compare_training(data.split, settings, {run}).front();
      const std::vector<double> smoothed = smooth(o.step_loss, 50);
      nlohmann::json loss = nlohmann::json::array();
      for (size_t i = 0; i < smoothed.size(); i += 10) loss.push_back(json_number(smoothed[i]));
      feed.publish("result", {{"label", o.label},
                              {"every", 10},
                              {"loss", loss},
                              {"final_loss", json_number(o.final_loss)},
                              {"test_accuracy", json_number(o.test_accuracy)},
                              {"failure", o.failure}});
    }
  };
}

// A random search over the learning rate and the weight decay of the playground's default network on
// the two spirals, each trial shown as it finishes: {"index", "lr", "weight_decay", "score"}.
Job search(const nlohmann::json& params) {
  const int trials = param<int>(params, "trials", 30, "an integer");
  if (trials < 1 || trials > 200)
    throw std::invalid_argument("trials: must be from 1 to 200, got " + std::to_string(trials));
  return [trials](RunFeed& feed, const std::atomic<bool>& stop) {
    const SearchSpace space = SearchSpace::parse("lr=1e-4..1:log,weight_decay=1e-6..1e-1:log");
    TrainConfig fixed = lab_default_config();
    const int epochs = 150;
    feed.publish("experiment", header("search", {{"trials", trials},
                                                 {"epochs", epochs},
                                                 {"space", "lr=1e-4..1:log, weight_decay=1e-6..1e-1:log"},
                                                 {"data", "spirals"},
                                                 {"model", "2-16-16-2 tanh, Adam"}}));
    const Dataset data = make_toy_dataset("spirals", {.samples = 1000});
    RandomSearch strategy(space, 0, trials, epochs);
    const SearchOptions options{.on_trial = [&](const TrialRecord& r) {
      feed.publish("result", {{"index", r.index},
                              {"lr", r.plan.point[0]},
                              {"weight_decay", r.plan.point[1]},
                              {"score", json_number(r.score)}});
    }};
    run_search(
        strategy, space,
        [&](int index, const TrialPlan& plan) {
          if (stop) {
            TrialRecord skipped;
            skipped.diverged = true;
            return skipped;
          }
          return run_training_trial(trial_config(fixed, space, plan, index, 1), data);
        },
        options);
  };
}

}  // namespace

const std::vector<LabExperiment>& lab_experiments() {
  static const std::vector<LabExperiment> experiments = {
      {"optimizer-paths", "Optimizer paths",
       "On the narrow valley f = x²/20 + y² plain SGD zigzags across the steep direction, momentum overshoots and "
       "rolls back, and AdaGrad, RMSProp and Adam scale each direction's step and head straight for the minimum: "
       "click the contour plot to start them elsewhere."},
      {"activation-histograms", "Activation histograms by initialisation",
       "With weights of std 1 sigmoid outputs pile up at 0 and 1 (saturated: no gradient passes), with std 0.01 "
       "they all collapse to one value, and Xavier (for sigmoid and tanh) or He (for ReLU) keeps their spread "
       "through all five layers."},
      {"optimizers-mnist", "Optimizers on MNIST",
       "On the same batches from the same weights, plain SGD at its textbook rate lags behind: every other optimizer "
       "ends the 2,000 iterations lower, momentum, AdaGrad and Adam about a hundred times lower."},
      {"inits-mnist", "Initialisations on MNIST",
       "With weights of std 0.01 a deep ReLU network's signal dies away and SGD does not move it at all (the loss "
       "stays at ln 10 = 2.30), while with Xavier or He the loss falls at once, He fastest."},
      {"search", "Hyperparameter search",
       "Sampled log-uniformly, the learning rate decides almost everything: the trials that separate the spirals in "
       "150 "
       "epochs lie between about 0.01 and 0.1, slower rates are still on the plateau and faster ones stay at chance, "
       "while weight decay up to 1e-3 hardly matters."},
      {"batchnorm", "BatchNorm against the weight scale",
       "Without BatchNorm only a narrow band of initial weight scales learns at all (std 0.1 here); with BatchNorm "
       "after every hidden layer the network learns faster at every scale."},
      {"overfitting", "Overfitting and its remedies",
       "A six-layer network memorises 300 training images (training accuracy near 100%) while its test accuracy "
       "stays far lower; weight decay and Dropout narrow that gap."},
      {"early-stopping", "Early stopping",
       "The validation loss falls and then rises again as the network starts to overfit; early stopping ends "
       "training once it has not improved for ten epochs and gives back the weights of its lowest point."},
  };
  return experiments;
}

std::function<void(RunFeed&, const std::atomic<bool>&)> prepare_experiment(const std::string& name,
                                                                           const nlohmann::json& params) {
  if (!params.is_object()) throw std::invalid_argument("params: must be an object, got " + params.dump().substr(0, 80));
  if (name == "optimizer-paths") return optimizer_paths(params);
  if (name == "activation-histograms") return histograms(params);
  if (name == "optimizers-mnist") return mnist_comparison(name, textbook_optimizer_runs());
  if (name == "inits-mnist") return mnist_comparison(name, textbook_init_runs());
  if (name == "search") return search(params);
  if (name == "batchnorm") return batchnorm(params);
  if (name == "overfitting") return overfitting(params);
  if (name == "early-stopping") return early_stopping(params);
  std::string known;
  for (const LabExperiment& e : lab_experiments()) known += (known.empty() ? "" : ", ") + e.name;
  throw std::invalid_argument("experiment: unknown '" + name.substr(0, 80) + "' (known: " + known + ")");
}

}  // namespace nnlab::lab
