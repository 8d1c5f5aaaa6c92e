#include "nnlab/experiments/regression.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>

#include "nnlab/data/toy_datasets.h"
#include "nnlab/experiments/experiment_config.h"
#include "nnlab/model/model_spec.h"
#include "nnlab/train/train.h"

namespace nnlab {

namespace {

// The curve of the model along `grid` (N×1), in eval mode: the output itself, or for two
// outputs the softmax probability of the second class.
std::vector<double> curve(Module<float>& model, const Tensor<float>& grid) {
  const Tensor<float> out = eval_outputs_in_place(model, grid);
  std::vector<double> ys;
  for (int64_t r = 0; r < out.rows(); ++r) {
    const float* row = out.row(r);
    if (out.row_size() == 1) {
      ys.push_back(row[0]);
    } else {
      ys.push_back(1.0 / (1.0 + std::exp(static_cast<double>(row[0]) - static_cast<double>(row[1]))));
    }
  }
  return ys;
}

// After each epoch: the test loss, and the curve at the snapshot epochs.
class Watch final : public Callback {
 public:
  Watch(const RegressionSettings& settings, const Tensor<float>& grid, const Dataset& test, HeadStudy& study)
      : settings_(settings), grid_(grid), test_(test), study_(study) {}
  // The run's own loss, once the run has made it.
  void set_loss(Loss<float>& loss) { loss_ = &loss; }
  void on_epoch_end(TrainState& state, const EpochRecord& record) override {
    study_.train_loss.push_back(record.train_loss);
    study_.test_loss.push_back(evaluate_in_place(state.model, *loss_, test_).loss);
    const auto& epochs = settings_.snapshot_epochs;
    if (record.epoch < settings_.epochs && std::find(epochs.begin(), epochs.end(), record.epoch) != epochs.end())
      study_.curves.push_back({record.epoch, curve(state.model, grid_)});
  }

 private:
  const RegressionSettings& settings_;
  const Tensor<float>& grid_;
  const Dataset& test_;
  HeadStudy& study_;
  Loss<float>* loss_ = nullptr;
};

HeadStudy learn_head(const RegressionSettings& settings, const Dataset& train, const Dataset& test,
                     const Tensor<float>& grid, bool classification) {
  HeadStudy study;
  study.task = classification ? "classification" : "regression";
  study.loss = classification ? "cross-entropy" : "mse";
  study.spec = mlp_spec(settings.hidden, "relu", classification ? 2 : 1);
  TrainConfig config = adam_experiment_config(study.spec, Initializer::he_normal(), settings.lr, settings.seed);
  config.schedule = "cosine";
  config.loss = study.loss;
  config.epochs = settings.epochs;
  config.batch_size = settings.batch_size;
  auto watch = std::make_shared<Watch>(settings, grid, test, study);
  Training training(config, train, {.after = {watch}});
  watch->set_loss(training.loss());
  training.fit();
  study.curves.push_back({settings.epochs, curve(training.model(), grid)});
  study.test = evaluate(training.model(), training.loss(), test);
  return study;
}

}  // namespace

Dataset above_zero_labels(const Dataset& regression) {
  Dataset labelled;
  labelled.x = regression.x;
  labelled.y = Tensor<float>(Shape{regression.size()});
  for (int64_t i = 0; i < regression.size(); ++i) labelled.y[i] = regression.y[i] > 0 ? 1.0f : 0.0f;
  labelled.num_classes = 2;
  return labelled;
}

RegressionStudy learn_regression(const RegressionSettings& settings) {
  if (settings.epochs < 1)
    throw std::invalid_argument("epochs must be at least 1, got " + std::to_string(settings.epochs));
  if (settings.curve_points < 2)
    throw std::invalid_argument("curves need at least 2 points, got " + std::to_string(settings.curve_points));
  RegressionStudy study;
  study.train =
      make_toy_dataset("sine", {.samples = settings.train_points, .noise = settings.noise, .seed = settings.seed});
  study.test =
      make_toy_dataset("sine", {.samples = settings.test_points, .noise = settings.noise, .seed = settings.seed + 1});
  double lo = study.train.x[0], hi = study.train.x[0];
  for (int64_t i = 0; i < study.train.size(); ++i) {
    lo = std::min(lo, static_cast<double>(study.train.x[i]));
    hi = std::max(hi, static_cast<double>(study.train.x[i]));
  }
  Tensor<float> grid(Shape{settings.curve_points, 1});
  for (int i = 0; i < settings.curve_points; ++i) {
    study.xs.push_back(lo + (hi - lo) * i / (settings.curve_points - 1));
    grid[i] = static_cast<float>(study.xs.back());
  }
  study.regression = learn_head(settings, study.train, study.test, grid, false);
  study.classification =
      learn_head(settings, above_zero_labels(study.train), above_zero_labels(study.test), grid, true);
  return study;
}

}  // namespace nnlab
