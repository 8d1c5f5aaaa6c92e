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

#include <string>
#include <vector>

#include "nnlab/train/callback.h"

namespace nnlab {

struct EarlyStoppingOptions {
  std::string monitor = "val_loss";  // "val_loss" (minimised) or "val_accuracy" (maximised)
  int patience = 5;                  // epochs without improvement before stopping, at least 1
  double min_delta = 0.0;            // the smallest change that counts as an improvement, >= 0
  bool restore_best = true;          // copy the best epoch's weights back at the end
};

class EarlyStopping final : public Callback {
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

 private:
  bool improves(double value) const;
  void save_best();
  void restore_best();

  EarlyStoppingOptions options_;
  bool maximize_;
  int best_epoch_ = 0;
  double best_value_ = 0;
  int epochs_without_improvement_ = 0;
  int stopped_epoch_ = 0;
  // The model's parameter values and buffers, and their copies at the best epoch.
  std::vector<Tensor<float>*> live_;
  std::vector<Tensor<float>> best_;
};

}  // namespace nnlab
