#pragma once
// Training callbacks: small objects the Trainer calls at fixed points, so that
// progress display, early stopping, schedules and checks compose without
// touching the training loop (mlpack/ensmallen's design).

#include <functional>
#include <string>

#include "nnlab/model/sequential.h"
#include "nnlab/optim/optimizer.h"
#include "nnlab/state/state_dict.h"
#include "nnlab/train/history.h"

namespace nnlab {

// What a callback sees, and how it asks training to stop.
struct TrainState {
  Module<float>& model;
  Optimizer<float>& optimizer;
  History& history;
  int epoch = 0;            // current epoch, 1-based
  int total_epochs = 0;     // planned epochs (an estimate in iteration mode)
  int64_t total_steps = 0;  // planned steps
  int64_t batches_per_epoch = 0;
  bool stop = false;  // set to end training after the current step
  std::string stop_reason{};
  // Set with stop by interrupt(): training ends after the current step without closing the
  // epoch, so that a checkpoint taken then continues inside it.
  bool interrupted = false;
  // The whole state of the run as it stands (Trainer::state_dict): what a checkpoint writes.
  std::function<StateDict()> snapshot{};

  void request_stop(const std::string& reason) {
    stop = true;
    stop_reason = reason;
  }
  void interrupt(const std::string& reason) {
    request_stop(reason);
    interrupted = true;
  }
};

class Callback {
 public:
  virtual ~Callback() = default;
  virtual void on_train_begin(TrainState& /*state*/) {}
  // Before each optimizer step (learning-rate schedules act here).
  virtual void on_step_begin(TrainState& /*state*/) {}
  // After backward, before the optimizer uses the gradients (gradient clipping acts here).
  virtual void on_gradients(TrainState& /*state*/) {}
  // After each step, with that batch's loss.
  virtual void on_step_end(TrainState& /*state*/, double /*loss*/) {}
  // After each epoch's record is complete (validation included).
  virtual void on_epoch_end(TrainState& /*state*/, const EpochRecord& /*record*/) {}
  virtual void on_train_end(TrainState& /*state*/) {}
};

}  // namespace nnlab
