#pragma once
// Early stopping: end training when the validation metric has stopped improving,
// and give back the model of the best epoch rather than the last one.
//
//   trainer.add_callback(std::make_shared<EarlyStopping>(EarlyStoppingOptions{.patience = 5}));
//   History h = trainer.fit(train, &validation, {.epochs = 100}, rng);
//   // the model now holds the weights of epoch h.best_epoch
//
// After every epoch the monitored value (val_loss, minimised, or val_accuracy,
// maximised) is compared with the best so far; it improves when it beats the best
// by more than min_delta. `patience` epochs in a row without improvement stop training.
// The best weights (every parameter and every buffer, so BatchNorm's running
// statistics too) are copied into buffers allocated once at the start, and copied
// back when training ends, whatever ended it: patience, the planned epochs, or
// another callback. History records the best epoch, where early stopping stopped
// and whether weights were restored.
//
// Only validation data may be monitored: choosing the epoch on test data would make
// the test accuracy an optimistic estimate.
//
// Its state dict, to resume a run: "best_epoch", "best_value",
// "epochs_without_improvement", "stopped_epoch", the options to check against
// ("monitor", "patience", "min_delta", "restore_best"), and, once an epoch has
// been best and restore_best is on, the best weights as "best_weights.<name>"
// under the model's names. After load_state_dict the next on_train_begin keeps
// this state instead of starting afresh, and checks that the best weights fit
// the model (same names and shapes), throwing std::runtime_error naming the first
// that does not.

#include <string>
#include <vector>

#include "nnlab/state/stateful.h"
#include "nnlab/train/callback.h"

namespace nnlab {

struct EarlyStoppingOptions {
  std::string monitor = "val_loss";  // "val_loss" (minimised) or "val_accuracy" (maximised)
  int patience = 5;                  // epochs without improvement before stopping, at least 1
  double min_delta = 0.0;            // the smallest change that counts as an improvement, >= 0
  bool restore_best = true;          // copy the best epoch's weights back at the end
};

class EarlyStopping final : public Callback, public Stateful {
 public:
  // Throws std::invalid_argument for an unknown monitor, patience < 1 or a negative min_delta.
  explicit EarlyStopping(EarlyStoppingOptions options = {});

  void on_train_begin(TrainState& state) override;
  // Throws std::invalid_argument when the epoch has no value to monitor (no validation
  // data, or val_accuracy on a regression task).
  void on_epoch_end(TrainState& state, const EpochRecord& record) override;
  void on_train_end(TrainState& state) override;

  const EarlyStoppingOptions& options() const { return options_; }
  int best_epoch() const { return best_epoch_; }  // 0 before the first epoch
  double best_value() const { return best_value_; }
  int epochs_without_improvement() const { return epochs_without_improvement_; }

  StateDict state_dict() const override;
  // Throws std::runtime_error naming the entry that is missing, unexpected or
  // disagrees with this callback's options.
  void load_state_dict(const StateDict& state) override;

 private:
  bool improves(double value) const;
  void save_best();
  void restore_best();
  // Puts the loaded best weights in the model's order; throws naming one that does not fit.
  void adopt_resumed_weights(std::vector<std::string> names);

  EarlyStoppingOptions options_;
  bool maximize_;
  int best_epoch_ = 0;
  double best_value_ = 0;
  int epochs_without_improvement_ = 0;
  int stopped_epoch_ = 0;
  // The model's parameter values and buffers, their names, and their copies at the best epoch.
  std::vector<Tensor<float>*> live_;
  std::vector<std::string> names_;
  std::vector<Tensor<float>> best_;
  // Set by load_state_dict: the next on_train_begin carries on from the loaded state.
  bool resumed_ = false;
};

}  // namespace nnlab
