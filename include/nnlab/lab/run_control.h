#pragma once
// RunControl: the page's hold on a run that trains on a worker thread: pause, one step at a time,
// resume, stop, and a new learning rate while it trains. The page's requests set it from the
// server's threads; the training thread asks it between steps (LiveView calls gate() after every
// step and learning_rate() before every one).
//
//   control.pause();          // the training thread waits in gate() after its current step
//   control.step();           // lets exactly one more step run, then waits again
//   control.set_lr(0.003);    // from the next step on, instead of the schedule's rate
//   control.set_pace(300);    // at most 300 steps a second, to be watched
//   control.stop();           // ends training after the current step (a paused run too)

#include <condition_variable>
#include <mutex>
#include <optional>

namespace nnlab::lab {

class RunControl {
 public:
  enum class State { kRunning, kPaused, kStopping };

  void pause();
  void resume();
  // A paused run takes one more step (each call one) and pauses again; a running run pauses after
  // its next step.
  void step();
  void stop();
  // Throws std::invalid_argument for a rate that is not a number above 0.
  void set_lr(double lr);

  // Steps per second the run keeps to, so that a small network's run can be watched (it would
  // be over in a fraction of a second); 0 for full speed. Throws std::invalid_argument below 0.
  void set_pace(double steps_per_second);
  double pace() const;

  State state() const;
  // The rate the page set, if it set one.
  std::optional<double> learning_rate() const;

  // The training thread, after a step: waits while paused (or until one step is granted);
  // false when the run is to stop.
  bool gate();

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  State state_ = State::kRunning;
  int granted_steps_ = 0;  // steps a paused run may take
  std::optional<double> lr_;
  double pace_ = 0;
};

}  // namespace nnlab::lab
