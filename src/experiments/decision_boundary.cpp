#include "nnlab/experiments/decision_boundary.h"

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

// The softmax of each row of the model's outputs (logits) at `points` (N×2), in eval mode;
// the model's mode is restored afterwards.
std::vector<double> class_probabilities(Module<float>& model, const Tensor<float>& points) {
  const Tensor<float> logits = eval_outputs_in_place(model, points);
  std::vector<double> probabilities(static_cast<size_t>(logits.size()));
  for (int64_t r = 0; r < logits.rows(); ++r) {
    const float* row = logits.row(r);
    const int64_t k = logits.row_size();
    const double top = *std::max_element(row, row + k);
    double sum = 0;
    for (int64_t c = 0; c < k; ++c) sum += std::exp(static_cast<double>(row[c]) - top);
    for (int64_t c = 0; c < k; ++c)
      probabilities[static_cast<size_t>(r * k + c)] = std::exp(static_cast<double>(row[c]) - top) / sum;
  }
  return probabilities;
}

// The map of the whole box after the snapshot epochs.
class MapSnapshots final : public Callback {
 public:
  MapSnapshots(std::vector<int> epochs, const Tensor<float>& grid, std::vector<BoundaryMap>& maps)
      : epochs_(std::move(epochs)), grid_(grid), maps_(maps) {}
  void on_epoch_end(TrainState& state, const EpochRecord& record) override {
    if (std::find(epochs_.begin(), epochs_.end(), record.epoch) != epochs_.end())
      maps_.push_back({record.epoch, class_probabilities(state.model, grid_)});
  }

 private:
  std::vector<int> epochs_;
  const Tensor<float>& grid_;
  std::vector<BoundaryMap>& maps_;
};

}  // namespace

std::vector<BoundaryModel> boundary_models() {
  return {{"no hidden layer", {}}, {"1 hidden layer of 8", {8}}, {"2 hidden layers of 64", {64, 64}}};
}

std::vector<std::string> boundary_datasets() { return {"circles", "xor", "spirals", "blobs"}; }

BoundaryStudy learn_boundary(const std::string& dataset, const BoundaryModel& model, const BoundarySettings& settings) {
  if (settings.epochs < 1)
    throw std::invalid_argument("epochs must be at least 1, got " + std::to_string(settings.epochs));
  if (settings.resolution < 2)
    throw std::invalid_argument("the map needs at least 2 cells per side, got " + std::to_string(settings.resolution));
  BoundaryStudy study;
  study.dataset = dataset;
  study.model = model;
  const Dataset train =
      make_toy_dataset(dataset, {.samples = settings.train_points, .noise = settings.noise, .seed = settings.seed});
  study.test =
      make_toy_dataset(dataset, {.samples = settings.test_points, .noise = settings.noise, .seed = settings.seed + 1});
  if (!train.classification() || train.sample_shape() != Shape{2})
    throw std::invalid_argument("'" + dataset +
                                "' is not a 2-D classification toy (choose circles, xor, spirals or blobs)");
  study.classes = train.num_classes;
  study.spec = mlp_spec(model.hidden, "relu", study.classes);

  // The box: every point, and a margin of a tenth of the widest side around them.
  double lo = 0, hi = 0;
  for (const Dataset* d : {&train, static_cast<const Dataset*>(&study.test)}) {
    for (int64_t i = 0; i < d->x.size(); ++i) {
      lo = std::min(lo, static_cast<double>(d->x[i]));
      hi = std::max(hi, static_cast<double>(d->x[i]));
    }
  }
  const double margin = 0.1 * (hi - lo);
  study.x_min = study.y_min = lo - margin;
  study.x_max = study.y_max = hi + margin;
  study.resolution = settings.resolution;
  const int n = settings.resolution + 1;
  Tensor<float> grid(Shape{static_cast<int64_t>(n) * n, 2});
  for (int row = 0; row < n; ++row) {
    for (int col = 0; col < n; ++col) {
      float* point = grid.row(static_cast<int64_t>(row) * n + col);
      point[0] = static_cast<float>(study.x_min + (study.x_max - study.x_min) * col / settings.resolution);
      point[1] = static_cast<float>(study.y_min + (study.y_max - study.y_min) * row / settings.resolution);
    }
  }

  TrainConfig config = adam_experiment_config(study.spec, Initializer::he_normal(), settings.lr, settings.seed);
  config.schedule = "cosine";
  config.epochs = settings.epochs;
  config.batch_size = settings.batch_size;
  Training training(config, train,
                    {.after = {std::make_shared<MapSnapshots>(settings.snapshot_epochs, grid, study.snapshots)}});
  const History history = training.fit();
  study.seconds = history.epochs.empty() ? 0 : history.epochs.back().seconds;
  study.snapshots.push_back({settings.epochs, class_probabilities(training.model(), grid)});
  study.train_metrics = evaluate(training.model(), training.loss(), train);
  study.test_metrics = evaluate(training.model(), training.loss(), study.test);
  const std::vector<double> test_probabilities = class_probabilities(training.model(), study.test.x);
  const auto k = static_cast<size_t>(study.classes);
  for (int64_t i = 0; i < study.test.size(); ++i) {
    const auto* p = test_probabilities.data() + static_cast<size_t>(i) * k;
    const auto predicted = std::max_element(p, p + k) - p;
    study.test_correct.push_back(predicted == static_cast<int64_t>(study.test.y[i]));
  }
  return study;
}

}  // namespace nnlab
