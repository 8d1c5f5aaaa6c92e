#include "nnlab/train/early_stopping.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace nnlab {

namespace {
constexpr const char* kBestWeights = "best_weights.";

std::string short_number(double value) {
  std::ostringstream out;
  out.precision(4);
  out << value;
  return out.str();
}
}  // namespace

EarlyStopping::EarlyStopping(EarlyStoppingOptions options)
    : options_(std::move(options)), maximize_(options_.monitor == "val_accuracy") {
  if (options_.monitor != "val_loss" && options_.monitor != "val_accuracy") {
    throw std::invalid_argument("early stopping monitors val_loss or val_accuracy, got '" + options_.monitor + "'");
  }
  if (options_.patience < 1) {
    throw std::invalid_argument("early stopping patience must be at least 1 epoch, got " +
                                std::to_string(options_.patience));
  }
  if (!(options_.min_delta >= 0) || !std::isfinite(options_.min_delta)) {
    throw std::invalid_argument("early stopping min_delta must be a number >= 0, got " +
                                short_number(options_.min_delta));
  }
}

void EarlyStopping::on_train_begin(TrainState& state) {
  state.history.monitor = options_.monitor;
  // Every tensor that defines the model's output, under the model's names.
  live_.clear();
  std::vector<std::string> names;
  if (options_.restore_best) {
    for (const auto& p : state.model.parameters()) {
      live_.push_back(p.value);
      names.push_back(p.name);
    }
    for (const auto& [name, buffer] : state.model.buffers()) {
      live_.push_back(buffer);
      names.push_back(name);
    }
  }
  const bool resumed = std::exchange(resumed_, false);
  if (resumed && best_epoch_ > 0 && options_.restore_best) {
    adopt_resumed_weights(std::move(names));
    return;
  }
  names_ = std::move(names);
  if (resumed) {
    best_.clear();
  } else {
    // A callback may serve several fits: each starts afresh.
    best_epoch_ = 0;
    best_value_ = maximize_ ? -INFINITY : INFINITY;
    epochs_without_improvement_ = 0;
    stopped_epoch_ = 0;
  }

  // The one allocation: a copy of every tensor that defines the model's output.
  best_.resize(live_.size());
  for (size_t i = 0; i < live_.size(); ++i) {
    if (best_[i].shape() != live_[i]->shape()) best_[i] = Tensor<float>(live_[i]->shape());
  }
}

bool EarlyStopping::improves(double value) const {
  if (std::isnan(value)) return false;
  if (best_epoch_ == 0) return true;
  return maximize_ ? value > best_value_ + options_.min_delta : value < best_value_ - options_.min_delta;
}

void EarlyStopping::save_best() {
  for (size_t i = 0; i < live_.size(); ++i) std::copy(live_[i]->begin(), live_[i]->end(), best_[i].begin());
}

void EarlyStopping::restore_best() {
  for (size_t i = 0; i < live_.size(); ++i) std::copy(best_[i].begin(), best_[i].end(), live_[i]->begin());
}

void EarlyStopping::on_epoch_end(TrainState& state, const EpochRecord& record) {
  const double value = maximize_ ? record.val_accuracy : record.val_loss;
  if (best_epoch_ == 0 && std::isnan(record.val_loss)) {
    throw std::invalid_argument("early stopping monitors " + options_.monitor +
                                ", but there is no validation data: pass validation data to fit "
                                "(nnlab train: --val-split above 0)");
  }
  if (best_epoch_ == 0 && std::isnan(value)) {
    throw std::invalid_argument("early stopping cannot monitor val_accuracy without class labels: monitor val_loss");
  }
  if (improves(value)) {
    best_value_ = value;
    best_epoch_ = record.epoch;
    epochs_without_improvement_ = 0;
    state.history.best_epoch = best_epoch_;
    state.history.best_value = best_value_;
    if (options_.restore_best) save_best();
    return;
  }
  if (++epochs_without_improvement_ < options_.patience) return;
  stopped_epoch_ = record.epoch;
  state.history.stopped_epoch = stopped_epoch_;
  std::string reason = "early stopping: " + options_.monitor + " did not improve";
  if (options_.min_delta > 0) reason += " by " + short_number(options_.min_delta);
  reason += " for " + std::to_string(options_.patience) + (options_.patience == 1 ? " epoch" : " epochs") +
            "; best epoch " + std::to_string(best_epoch_) + (options_.restore_best ? " restored" : " (not restored)");
  state.request_stop(reason);
}

void EarlyStopping::adopt_resumed_weights(std::vector<std::string> names) {
  const std::string owner = "early stopping: the best weights of the loaded state do not fit the model: ";
  std::vector<Tensor<float>> best(names.size());
  std::vector<bool> used(names_.size(), false);
  for (size_t i = 0; i < names.size(); ++i) {
    const auto found = std::find(names_.begin(), names_.end(), names[i]);
    if (found == names_.end()) throw std::runtime_error(owner + "they lack '" + kBestWeights + names[i] + "'");
    const auto at = static_cast<size_t>(found - names_.begin());
    if (best_[at].shape() != live_[i]->shape()) {
      throw std::runtime_error(owner + "'" + kBestWeights + names[i] + "' has shape " + best_[at].shape().str() +
                               ", the model's is " + live_[i]->shape().str());
    }
    used[at] = true;
    best[i] = best_[at];
  }
  for (size_t j = 0; j < names_.size(); ++j) {
    if (!used[j]) throw std::runtime_error(owner + "the model has no '" + names_[j] + "'");
  }
  names_ = std::move(names);
  best_ = std::move(best);
}

StateDict EarlyStopping::state_dict() const {
  StateDict state;
  state.put_int("best_epoch", best_epoch_);
  state.put_double("best_value", best_value_);
  state.put_int("epochs_without_improvement", epochs_without_improvement_);
  state.put_int("stopped_epoch", stopped_epoch_);
  state.put_bytes("monitor", options_.monitor);
  state.put_int("patience", options_.patience);
  state.put_double("min_delta", options_.min_delta);
  state.put_int("restore_best", options_.restore_best);
  if (options_.restore_best && best_epoch_ > 0) {
    for (size_t i = 0; i < best_.size(); ++i) state.put(kBestWeights + names_[i], best_[i]);
  }
  return state;
}

void EarlyStopping::load_state_dict(const StateDict& state) {
  try {
    std::vector<std::string> expected = {"best_epoch",    "best_value",  "epochs_without_improvement",
                                         "stopped_epoch", "monitor",     "patience",
                                         "min_delta",     "restore_best"};
    // The weights are checked against the model when training begins: the callback does not know it before.
    std::vector<std::string> weights;
    for (const auto& [name, entry] : state.entries()) {
      if (name.starts_with(kBestWeights)) weights.push_back(name);
    }
    std::vector<std::string> all = expected;
    all.insert(all.end(), weights.begin(), weights.end());
    state.require_names(all, "the state dict");
    if (state.get_bytes("monitor") != options_.monitor) {
      throw std::runtime_error("it monitored " + state.get_bytes("monitor") + ", this callback monitors " +
                               options_.monitor);
    }
    if (state.get_int("patience") != options_.patience) {
      throw std::runtime_error("it had patience " + std::to_string(state.get_int("patience")) + ", this callback " +
                               std::to_string(options_.patience));
    }
    if (state.get_double("min_delta") != options_.min_delta) {
      throw std::runtime_error("it had min_delta " + short_number(state.get_double("min_delta")) + ", this callback " +
                               short_number(options_.min_delta));
    }
    if (state.get_int("restore_best") != options_.restore_best) {
      throw std::runtime_error(std::string("it ") + (options_.restore_best ? "did not restore" : "restored") +
                               " the best weights, this callback " + (options_.restore_best ? "does" : "does not"));
    }
    const int64_t best_epoch = state.get_int("best_epoch");
    const int64_t without = state.get_int("epochs_without_improvement");
    const int64_t stopped = state.get_int("stopped_epoch");
    const std::vector<std::pair<std::string, int64_t>> counts = {
        {"best_epoch", best_epoch}, {"epochs_without_improvement", without}, {"stopped_epoch", stopped}};
    for (const auto& [name, value] : counts) {
      if (value < 0 || value > std::numeric_limits<int>::max()) {
        throw std::runtime_error("entry '" + name + "' is out of range: " + std::to_string(value));
      }
    }
    const bool has_weights = options_.restore_best && best_epoch > 0;
    if (!has_weights && !weights.empty()) throw std::runtime_error("unexpected state entry '" + weights[0] + "'");
    if (has_weights && weights.empty()) {
      throw std::runtime_error("the best weights (" + std::string(kBestWeights) + "*) of epoch " +
                               std::to_string(best_epoch) + " are missing");
    }
    std::vector<std::string> names;
    std::vector<Tensor<float>> best;
    for (const std::string& entry : weights) {
      const StateEntry& stored = state.at(entry);
      best.push_back(state.tensor<float>(entry, Shape(stored.shape)));
      names.push_back(entry.substr(std::string(kBestWeights).size()));
    }
    best_epoch_ = static_cast<int>(best_epoch);
    best_value_ = state.get_double("best_value");
    epochs_without_improvement_ = static_cast<int>(without);
    stopped_epoch_ = static_cast<int>(stopped);
    // Entries come in name order; the model's order is restored when training begins.
    names_ = std::move(names);
    best_ = std::move(best);
    resumed_ = true;
  } catch (const std::runtime_error& error) {
    throw std::runtime_error("early stopping: cannot load the state: " + std::string(error.what()));
  } catch (const std::invalid_argument& error) {
    throw std::runtime_error("early stopping: cannot load the state: " + std::string(error.what()));
  }
}

void EarlyStopping::on_train_end(TrainState& state) {
  if (!options_.restore_best || best_epoch_ == 0) return;
  restore_best();
  state.history.restored = true;
  // When something else ended training, say which weights the model now holds.
  if (stopped_epoch_ == 0) {
    state.history.stop_reason += "; best epoch " + std::to_string(best_epoch_) + " (" + options_.monitor + " " +
                                 short_number(best_value_) + ") restored";
  }
}

}  // namespace nnlab
