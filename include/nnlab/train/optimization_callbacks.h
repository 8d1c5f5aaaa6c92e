#pragma once
// Callbacks that shape each optimizer step: a learning-rate schedule and
// gradient clipping (mlpack/ensmallen's composable style).

#include <memory>

#include "nnlab/optim/schedule.h"
#include "nnlab/train/callback.h"

namespace nnlab {

// Sets the optimizer's learning rate from the schedule before every step.
class LearningRateScheduler final : public Callback {
 public:
  explicit LearningRateScheduler(std::unique_ptr<LearningRateSchedule> schedule) : schedule_(std::move(schedule)) {}
  void on_step_begin(TrainState& state) override { state.optimizer.set_lr(schedule_->lr(state.optimizer.steps())); }
  const LearningRateSchedule& schedule() const { return *schedule_; }

 private:
  std::unique_ptr<LearningRateSchedule> schedule_;
};

// Clips the gradients between backward and the step: by their global L2 norm
// (PyTorch's clip_grad_norm_) or by value (clip_grad_value_).
class GradientClipper final : public Callback {
 public:
  enum class Mode { kNorm, kValue };
  GradientClipper(Mode mode, double limit);
  void on_gradients(TrainState& state) override;
  // How many steps were clipped (by norm: whose norm exceeded the limit).
  int64_t clipped_steps() const { return clipped_; }

 private:
  Mode mode_;
  double limit_;
  int64_t clipped_ = 0;
};

}  // namespace nnlab
