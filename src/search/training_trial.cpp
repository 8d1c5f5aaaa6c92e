#include "nnlab/search/training_trial.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>

#include "nnlab/init/initializer.h"
#include "nnlab/losses/softmax_cross_entropy.h"
#include "nnlab/model/model_spec.h"
#include "nnlab/optim/factory.h"
#include "nnlab/train/trainer.h"

namespace nnlab {

const std::vector<std::string>& searchable_parameters() {
  static const std::vector<std::string> names = {"lr",    "weight_decay", "dropout",   "hidden",
                                                 "depth", "batch_size",   "optimizer", "momentum"};
  return names;
}

void check_searchable(const SearchSpace& space) {
  const auto& names = searchable_parameters();
  for (const Dimension& d : space.dimensions()) {
    if (std::find(names.begin(), names.end(), d.name) == names.end()) {
      std::string known;
      for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
      throw std::invalid_argument("cannot search '" + d.name + "' (searchable: " + known + ")");
    }
    const bool choice_allowed = d.name == "optimizer";
    if (d.is_choice() != choice_allowed) {
      throw std::invalid_argument(d.name + (choice_allowed ? " takes choices, e.g. optimizer={sgd,adam}"
                                                           : " takes a range LOW..HIGH, not choices"));
    }
    if (d.is_choice()) {
      for (const auto& item : d.choices) {
        const auto& known = optimizer_names();
        if (std::find(known.begin(), known.end(), item) == known.end()) {
          throw std::invalid_argument("unknown optimizer '" + item + "' in the search space");
        }
      }
      continue;
    }
    const bool whole = d.name == "hidden" || d.name == "depth" || d.name == "batch_size";
    if (whole && !d.integer) throw std::invalid_argument(d.name + " takes whole numbers: add :int to its range");
    // Bounds far above any network a search trains, far below what overflows a size.
    const double most = d.name == "hidden" ? 65536 : d.name == "depth" ? 100 : d.name == "batch_size" ? 1e6 : 0;
    if (whole && d.high > most) {
      throw std::invalid_argument(d.name + " needs a range up to at most " + std::to_string(static_cast<int>(most)) +
                                  ", got " + d.str());
    }
    if ((d.name == "lr" || whole) && d.low <= 0) throw std::invalid_argument(d.name + " needs a range above 0");
    if (d.low < 0) throw std::invalid_argument(d.name + " needs a range of numbers >= 0");
    if ((d.name == "dropout" || d.name == "momentum") && d.high >= 1) {
      throw std::invalid_argument(d.name + " needs a range below 1");
    }
  }
}

TrainingSettings with_point(TrainingSettings s, const SearchSpace& space, const Point& point) {
  for (size_t i = 0; i < space.size(); ++i) {
    const Dimension& d = space.dimensions()[i];
    const double v = point.at(i);
    if (d.name == "lr") s.lr = v;
    if (d.name == "weight_decay") s.weight_decay = v;
    if (d.name == "dropout") s.dropout = v;
    if (d.name == "momentum") s.momentum = v;
    if (d.name == "batch_size") s.batch_size = static_cast<int64_t>(v);
    if (d.name == "optimizer") s.optimizer = d.format(v);
    if (d.name == "hidden") std::fill(s.hidden.begin(), s.hidden.end(), static_cast<int64_t>(v));
  }
  // Depth after width: new layers take the (possibly searched) width.
  const int depth_index = space.find("depth");
  if (depth_index >= 0) {
    const int64_t width = s.hidden.empty() ? 100 : s.hidden.front();
    s.hidden.assign(static_cast<size_t>(point.at(depth_index)), width);
  }
  return s;
}

std::string model_spec(const TrainingSettings& s, int64_t outputs) {
  std::string spec;
  for (int64_t width : s.hidden) {
    spec += "linear:" + std::to_string(width) + "," + s.activation + ",";
    if (s.dropout > 0) spec += "dropout:" + std::to_string(s.dropout) + ",";
  }
  return spec + "linear:" + std::to_string(outputs);
}

Sequential<float> train_configuration(const TrainingSettings& s, const Dataset& train, const Dataset& validation,
                                      int epochs, uint64_t seed, History& history) {
  Rng rng(seed);
  Sequential<float> model = build_model<float>(model_spec(s, train.num_classes), train.sample_shape());
  model.initialize(Initializer::parse(s.init), rng);
  OptimizerOptions options;
  options.name = s.optimizer;
  options.lr = s.lr;
  options.momentum = s.momentum;
  if (s.weight_decay > 0) options.weight_decay = WeightDecay::l2(s.weight_decay);
  auto optimizer = make_optimizer<float>(options, model.parameters());
  SoftmaxCrossEntropy<float> loss;
  Trainer trainer(model, loss, *optimizer);
  history = trainer.fit(train, validation.size() > 0 ? &validation : nullptr, {epochs, 0, s.batch_size, true}, rng);
  return model;
}

TrialRecord run_training_trial(const TrainingSettings& settings, const Dataset& train, const Dataset& validation,
                               int epochs, uint64_t seed) {
  TrialRecord record;
  const auto start = std::chrono::steady_clock::now();
  History history;
  try {
    train_configuration(settings, train, validation, epochs, seed, history);
    for (const EpochRecord& e : history.epochs) {
      record.val_accuracy.push_back(e.val_accuracy);
      record.val_loss.push_back(e.val_loss);
    }
    record.score = record.val_accuracy.empty() ? NAN : record.val_accuracy.back();
  } catch (const TrainingDiverged&) {
    record.diverged = true;
  }
  record.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return record;
}

}  // namespace nnlab
