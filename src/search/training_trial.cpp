#include "nnlab/search/training_trial.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>

#include "nnlab/optim/factory.h"
#include "nnlab/search/strategy.h"
#include "nnlab/train/train.h"

namespace nnlab {

const std::vector<std::string>& searchable_parameters() {
  static const std::vector<std::string> names = {"lr",    "weight_decay", "dropout",   "hidden",
                                                 "depth", "batch_size",   "optimizer", "momentum"};
  return names;
}

void check_searchable(const SearchSpace& space, const TrainConfig& fixed) {
  const auto& names = searchable_parameters();
  for (const Dimension& d : space.dimensions()) {
    if (!fixed.model.empty() && (d.name == "hidden" || d.name == "depth" || d.name == "dropout")) {
      throw std::invalid_argument("cannot search '" + d.name + "' of a --model spec: it shapes the --hidden network");
    }
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

TrainConfig with_point(TrainConfig c, const SearchSpace& space, const Point& point) {
  for (size_t i = 0; i < space.size(); ++i) {
    const Dimension& d = space.dimensions()[i];
    const double v = point.at(i);
    if (d.name == "lr") c.optimizer.lr = v;
    if (d.name == "weight_decay") c.weight_decay = v;
    if (d.name == "dropout") c.dropout = v;
    if (d.name == "momentum") c.optimizer.momentum = v;
    if (d.name == "batch_size") c.batch_size = static_cast<int64_t>(v);
    if (d.name == "optimizer") c.optimizer.name = d.format(v);
    if (d.name == "hidden") std::fill(c.hidden.begin(), c.hidden.end(), static_cast<int64_t>(v));
  }
  // Depth after width: new layers take the (possibly searched) width.
  const int depth_index = space.find("depth");
  if (depth_index >= 0) {
    const int64_t width = c.hidden.empty() ? 100 : c.hidden.front();
    c.hidden.assign(static_cast<size_t>(point.at(depth_index)), width);
  }
  return c;
}

TrainConfig trial_config(const TrainConfig& fixed, const SearchSpace& space, const TrialPlan& plan, int index,
                         int threads) {
  TrainConfig c = with_point(fixed, space, plan.point);
  const int origin = plan.origin >= 0 ? plan.origin : index;
  c.split_seed = fixed.split_seed.value_or(fixed.seed);
  c.seed = trial_seed(~fixed.seed, origin);
  c.epochs = plan.epochs;
  c.iterations = 0;
  c.threads = threads;
  return c;
}

TrialRecord run_training_trial(const TrainConfig& config, const Dataset& data) {
  TrialRecord record;
  const auto start = std::chrono::steady_clock::now();
  try {
    const TrainResult result = train(config, data);
    for (const EpochRecord& e : result.history.epochs) {
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
