#pragma once
// ProgressPrinter: a progress bar on a terminal, plain lines elsewhere (CI, pipes).
//
// On a terminal the current epoch is a bar redrawn in place with the running
// loss; at each epoch's end one summary line stays:
//   epoch  3/20  loss 0.2141  acc 0.9372 | val loss 0.2010  acc 0.9400 | 1.2 s

#include <chrono>
#include <cstdio>
#include <string>

#include "nnlab/train/callback.h"

namespace nnlab {

class ProgressPrinter final : public Callback {
 public:
  enum class Mode { kAuto, kBar, kLines, kQuiet };
  explicit ProgressPrinter(Mode mode = Mode::kAuto, std::FILE* out = stderr);

  void on_train_begin(TrainState& state) override;
  void on_step_end(TrainState& state, double loss) override;
  void on_epoch_end(TrainState& state, const EpochRecord& record) override;
  void on_train_end(TrainState& state) override;

 private:
  Mode mode_;
  std::FILE* out_;
  int64_t step_in_epoch_ = 0;
  double running_loss_ = 0;
  // For the time left: when this fit started, and the steps taken before it (a resumed run).
  std::chrono::steady_clock::time_point start_{};
  int64_t first_step_ = 0;
};

// The time left at the pace so far, "1m05s" or "42s"; empty before the first step.
std::string format_eta(double seconds_so_far, int64_t steps_done, int64_t steps_left);

// One summary line for an epoch (no newline).
std::string format_epoch(const EpochRecord& record, int total_epochs);

}  // namespace nnlab
