#include "nnlab/experiments/training_comparison.h"

#include <algorithm>

#include "nnlab/experiments/experiment_config.h"
#include "nnlab/losses/softmax_cross_entropy.h"
#include "nnlab/train/train.h"

namespace nnlab {

std::vector<TrainingOutcome> compare_training(const TrainTest& data, const ComparisonSettings& settings,
                                              const std::vector<TrainingRun>& runs) {
  std::vector<TrainingOutcome> outcomes;
  for (const TrainingRun& run : runs) {
    // The same seed for every run: the same initial weights (for the same initialiser) and batches.
    TrainConfig config = experiment_config(settings.model, run.init, run.optimizer, settings.seed);
    config.iterations = settings.iterations;
    config.batch_size = settings.batch_size;
    Training training(config, data.train);
    TrainingOutcome outcome{run.label, describe(run.optimizer), run.init.str(), {}, 0, 0, 0, {}};
    try {
      const History history = training.fit();
      outcome.step_loss = history.step_loss;
      outcome.seconds = history.epochs.empty() ? 0 : history.epochs.back().seconds;
    } catch (const TrainingDiverged& e) {
      outcome.failure = e.what();
    }
    Loss<float>& loss = training.loss();
    Sequential<float>& model = training.model();
    const size_t n = outcome.step_loss.size();
    const size_t tail = std::min<size_t>(100, n);
    double sum = 0;
    for (size_t i = n - tail; i < n; ++i) sum += outcome.step_loss[i];
    outcome.final_loss = tail > 0 ? sum / static_cast<double>(tail) : NAN;
    outcome.test_accuracy = evaluate(model, loss, data.test).accuracy;
    outcomes.push_back(std::move(outcome));
  }
  return outcomes;
}

namespace {
TrainingRun run(const std::string& label, const std::string& name, double lr, Initializer init) {
  OptimizerOptions o;
  o.name = name;
  o.lr = lr;
  o.momentum = 0.9;
  return {label, o, init};
}
}  // namespace

std::vector<TrainingRun> textbook_optimizer_runs() {
  const Initializer he = Initializer::he_normal();
  return {run("SGD", "sgd", 0.01, he),           run("Momentum", "momentum", 0.01, he),
          run("Nesterov", "nesterov", 0.01, he), run("AdaGrad", "adagrad", 0.01, he),
          run("RMSProp", "rmsprop", 0.01, he),   run("Adam", "adam", 0.001, he)};
}

std::vector<TrainingRun> textbook_init_runs() {
  return {run("std 0.01", "sgd", 0.01, Initializer::normal(0.01)),
          run("Xavier", "sgd", 0.01, Initializer::xavier_normal()), run("He", "sgd", 0.01, Initializer::he_normal())};
}

std::vector<double> smooth(const std::vector<float>& values, int window) {
  std::vector<double> out(values.size());
  double sum = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    sum += values[i];
    if (i >= static_cast<size_t>(window)) sum -= values[i - static_cast<size_t>(window)];
    out[i] = sum / static_cast<double>(std::min<size_t>(i + 1, static_cast<size_t>(window)));
  }
  return out;
}

}  // namespace nnlab
