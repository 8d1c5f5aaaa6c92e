#pragma once
// Learning-rate schedules: the learning rate as a function of the number of
// optimizer steps done. They hold no state, so the same step always gives the
// same rate (resuming from a checkpoint needs only the step count). Apply one
// before each step:
//   optimizer.set_lr(schedule.lr(optimizer.steps()));
//   optimizer.step();

#include <cstdint>
#include <memory>
#include <string>

namespace nnlab {

class LearningRateSchedule {
 public:
  virtual ~LearningRateSchedule() = default;
  // The learning rate of the step that follows `step` finished steps (step >= 0).
  virtual double lr(int64_t step) const = 0;
  // The schedule in parse_schedule's grammar ("step:1000:0.5").
  virtual std::string str() const = 0;
};

// lr(step) = base_lr
class Constant final : public LearningRateSchedule {
 public:
  explicit Constant(double base_lr);
  double lr(int64_t step) const override;
  std::string str() const override { return "constant"; }

 private:
  double base_lr_;
};

// lr(step) = base_lr · gamma^⌊step / step_size⌋  (PyTorch's StepLR, counted in steps)
class StepDecay final : public LearningRateSchedule {
 public:
  StepDecay(double base_lr, int64_t step_size, double gamma);
  double lr(int64_t step) const override;
  std::string str() const override;

 private:
  double base_lr_;
  int64_t step_size_;
  double gamma_;
};

// lr(step) = base_lr · gamma^step  (gamma per step, e.g. 0.999)
class Exponential final : public LearningRateSchedule {
 public:
  Exponential(double base_lr, double gamma);
  double lr(int64_t step) const override;
  std::string str() const override;

 private:
  double base_lr_;
  double gamma_;
};

// lr(step) = min_lr + (base_lr − min_lr) · (1 + cos(π · step / total_steps)) / 2,
// and min_lr from total_steps on (SGDR without restarts; PyTorch's CosineAnnealingLR
// with T_max = total_steps, eta_min = min_lr).
class Cosine final : public LearningRateSchedule {
 public:
  Cosine(double base_lr, int64_t total_steps, double min_lr = 0.0);
  double lr(int64_t step) const override;
  std::string str() const override;

 private:
  double base_lr_;
  int64_t total_steps_;
  double min_lr_;
};

// Rises linearly to the wrapped schedule's first rate over warmup_steps steps,
// then follows it, shifted so that it starts where the warm-up ends:
//   lr(step) = after.lr(0) · (step + 1) / warmup_steps   for step < warmup_steps
//            = after.lr(step − warmup_steps)             otherwise
// (step + 1, so the first step already moves; the last warm-up step has the full rate).
// Warm-up keeps the first updates small while adaptive optimizers' statistics and
// BatchNorm's running estimates are still poor.
class LinearWarmup final : public LearningRateSchedule {
 public:
  LinearWarmup(int64_t warmup_steps, std::unique_ptr<LearningRateSchedule> after);
  double lr(int64_t step) const override;
  std::string str() const override;

 private:
  int64_t warmup_steps_;
  std::unique_ptr<LearningRateSchedule> after_;
};

// Builds a schedule from text:
//   "constant"
//   "step:<step_size>:<gamma>"     e.g. "step:1000:0.5"
//   "exp:<gamma>"                  e.g. "exp:0.999"
//   "cosine" | "cosine:<min_lr>"   over total_steps (the rest after a warm-up)
//   "warmup:<steps>"               warm-up, then constant
//   "warmup:<steps>+<schedule>"    e.g. "warmup:200+cosine"
// Throws std::invalid_argument naming the bad part.
std::unique_ptr<LearningRateSchedule> parse_schedule(const std::string& text, double base_lr, int64_t total_steps);

}  // namespace nnlab
