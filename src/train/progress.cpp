#include "nnlab/train/progress.h"

#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <string>

namespace nnlab {

std::string format_epoch(const EpochRecord& record, int total_epochs) {
  char buffer[256];
  int n =
      std::snprintf(buffer, sizeof buffer, "epoch %3d/%d  loss %.4f", record.epoch, total_epochs, record.train_loss);
  auto add = [&](const char* format, double value) {
    if (std::isfinite(value) && n < static_cast<int>(sizeof buffer)) {
      n += std::snprintf(buffer + n, sizeof buffer - static_cast<size_t>(n), format, value);
    }
  };
  add("  acc %.4f", record.train_accuracy);
  add(" | val loss %.4f", record.val_loss);
  add("  acc %.4f", record.val_accuracy);
  add(" | %.1f s", record.seconds);
  return buffer;
}

std::string format_eta(double seconds_so_far, int64_t steps_done, int64_t steps_left) {
  if (steps_done <= 0 || steps_left < 0 || !(seconds_so_far >= 0)) return "";
  const double left = seconds_so_far / static_cast<double>(steps_done) * static_cast<double>(steps_left);
  const auto total = static_cast<long long>(std::llround(left));
  char buffer[48];
  if (total >= 3600) {
    std::snprintf(buffer, sizeof buffer, "%lldh%02lldm", total / 3600, total / 60 % 60);
  } else if (total >= 60) {
    std::snprintf(buffer, sizeof buffer, "%lldm%02llds", total / 60, total % 60);
  } else {
    std::snprintf(buffer, sizeof buffer, "%llds", total);
  }
  return buffer;
}

namespace {
double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}
}  // namespace

ProgressPrinter::ProgressPrinter(Mode mode, std::FILE* out) : mode_(mode), out_(out) {
  if (mode_ == Mode::kAuto) mode_ = isatty(fileno(out_)) ? Mode::kBar : Mode::kLines;
}

void ProgressPrinter::on_train_begin(TrainState& state) {
  step_in_epoch_ = 0;
  running_loss_ = 0;
  start_ = std::chrono::steady_clock::now();
  first_step_ = state.optimizer.steps();
}

void ProgressPrinter::on_step_end(TrainState& state, double loss) {
  ++step_in_epoch_;
  running_loss_ += loss;
  if (mode_ != Mode::kBar) return;
  const int64_t total = state.batches_per_epoch;
  // Redraw about 50 times per epoch: often enough to move, rarely enough to cost nothing.
  if (step_in_epoch_ % std::max<int64_t>(1, total / 50) != 0 && step_in_epoch_ != total) return;
  constexpr int kWidth = 30;
  const int filled = static_cast<int>(kWidth * std::min<int64_t>(step_in_epoch_, total) / std::max<int64_t>(total, 1));
  std::string bar(static_cast<size_t>(filled), '#');
  bar.resize(kWidth, '.');
  const int64_t steps = state.optimizer.steps();
  const std::string eta = format_eta(seconds_since(start_), steps - first_step_, state.total_steps - steps);
  std::fprintf(out_, "\repoch %3d/%d [%s] %lld/%lld  loss %.4f  ETA %s ", state.epoch, state.total_epochs, bar.c_str(),
               static_cast<long long>(step_in_epoch_), static_cast<long long>(total),
               running_loss_ / static_cast<double>(step_in_epoch_), eta.c_str());
  std::fflush(out_);
}

void ProgressPrinter::on_epoch_end(TrainState& state, const EpochRecord& record) {
  step_in_epoch_ = 0;
  running_loss_ = 0;
  if (mode_ == Mode::kQuiet) return;
  if (mode_ == Mode::kBar) std::fprintf(out_, "\r\033[K");
  const int64_t steps = state.optimizer.steps();
  const std::string eta = steps < state.total_steps
                              ? format_eta(seconds_since(start_), steps - first_step_, state.total_steps - steps)
                              : "";
  std::fprintf(out_, "%s%s\n", format_epoch(record, state.total_epochs).c_str(),
               eta.empty() ? "" : (" | ETA " + eta).c_str());
  std::fflush(out_);
}

void ProgressPrinter::on_train_end(TrainState& state) {
  if (mode_ == Mode::kQuiet) return;
  std::fprintf(out_, "stopped: %s\n", state.history.stop_reason.c_str());
}

}  // namespace nnlab
