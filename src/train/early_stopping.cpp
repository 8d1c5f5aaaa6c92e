#include "nnlab/train/early_stopping.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

namespace nnlab {

namespace {
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
  // A callback may serve several fits: each starts afresh.
  best_epoch_ = 0;
  best_value_ = maximize_ ? -INFINITY : INFINITY;
  epochs_without_improvement_ = 0;
  stopped_epoch_ = 0;
  state.history.monitor = options_.monitor;

  // The one allocation: a copy of every tensor that defines the model's output.
  live_.clear();
  if (!options_.restore_best) return;
  for (const auto& p : state.model.parameters()) live_.push_back(p.value);
  for (const auto& [name, buffer] : state.model.buffers()) live_.push_back(buffer);
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
