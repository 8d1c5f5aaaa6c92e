#include "nnlab/lab/run_control.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace nnlab::lab {

void RunControl::pause() {
  const std::lock_guard lock(mutex_);
  if (state_ == State::kRunning) state_ = State::kPaused;
  granted_steps_ = 0;
}

void RunControl::resume() {
  {
    const std::lock_guard lock(mutex_);
    if (state_ == State::kPaused) state_ = State::kRunning;
  }
  changed_.notify_all();
}

void RunControl::step() {
  {
    const std::lock_guard lock(mutex_);
    if (state_ == State::kStopping) return;
    granted_steps_ = state_ == State::kPaused ? granted_steps_ + 1 : 1;
    state_ = State::kPaused;
  }
  changed_.notify_all();
}

void RunControl::stop() {
  {
    const std::lock_guard lock(mutex_);
    state_ = State::kStopping;
  }
  changed_.notify_all();
}

void RunControl::set_lr(double lr) {
  if (!std::isfinite(lr) || lr <= 0) {
    throw std::invalid_argument("lr: must be a number above 0, got " + std::to_string(lr));
  }
  const std::lock_guard lock(mutex_);
  lr_ = lr;
}

void RunControl::set_pace(double steps_per_second) {
  if (!std::isfinite(steps_per_second) || steps_per_second < 0) {
    throw std::invalid_argument("pace: must be 0 (full speed) or a number of steps per second, got " +
                                std::to_string(steps_per_second));
  }
  const std::lock_guard lock(mutex_);
  pace_ = steps_per_second;
}

double RunControl::pace() const {
  const std::lock_guard lock(mutex_);
  return pace_;
}

RunControl::State RunControl::state() const {
  const std::lock_guard lock(mutex_);
  return state_;
}

std::optional<double> RunControl::learning_rate() const {
  const std::lock_guard lock(mutex_);
  return lr_;
}

bool RunControl::gate() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return state_ != State::kPaused || granted_steps_ > 0; });
  if (state_ == State::kStopping) return false;
  if (state_ == State::kPaused) --granted_steps_;
  return true;
}

}  // namespace nnlab::lab
