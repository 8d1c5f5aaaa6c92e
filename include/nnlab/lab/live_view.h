#pragma once
// LiveView: the training callback of a lab run. It tells the run's feed what the page draws while
// the network learns, and holds the run at the page's RunControl between steps:
//
//   "step"      the mean loss of the steps since the last one, and the rate: at most every step_every
//   "epoch"     every epoch's record (training and validation loss and accuracy)
//   "boundary"  on 2-D data, the class probabilities over a grid of the plane (every map_every)
//   "layers"    per layer the activations' mean and std and the gradient norms, per weight its
//               gradient norm and update ratio (the Monitor's samples), with an activation
//               histogram per activation layer, and a CNN's first-layer filters (every map_every)
//   "warning"   each of the Monitor's health warnings (vanishing gradients, dead ReLUs, ...)
//
// It keeps the run to the control's pace (steps per second) by waiting after each step.
// It runs among the Trainer's `after` callbacks: its on_step_begin comes after the schedule's,
// so a rate set from the page replaces the schedule's from then on.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>

#include "nnlab/data/dataset.h"
#include "nnlab/diagnostics/monitor.h"
#include "nnlab/lab/run_control.h"
#include "nnlab/lab/run_feed.h"
#include "nnlab/train/callback.h"

namespace nnlab::lab {

// The box of the plane a boundary map covers, in `resolution` cells per side.
struct BoundaryGrid {
  double x_min = -1, x_max = 1, y_min = -1, y_max = 1;
  int resolution = 64;
};
// The box around a 2-D dataset's points, with a margin of a tenth of its size.
BoundaryGrid grid_around(const Dataset& data, int resolution);

struct LiveViewOptions {
  std::chrono::milliseconds step_every{100};
  std::chrono::milliseconds map_every{250};
  std::optional<BoundaryGrid> grid;  // 2-D data
  int histogram_bins = 30;
};

class LiveView final : public Callback {
 public:
  // `samples` (a few hundred training samples) are what the histograms are made of; the monitor
  // may be null.
  LiveView(RunFeed& feed, RunControl& control, LiveViewOptions options, Dataset samples,
           std::shared_ptr<const diagnostics::Monitor> monitor);

  void on_step_begin(TrainState& state) override;
  void on_step_end(TrainState& state, double loss) override;
  void on_epoch_end(TrainState& state, const EpochRecord& record) override;
  void on_train_end(TrainState& state) override;

 private:
  void publish_step(TrainState& state);
  void publish_boundary(TrainState& state);
  void publish_layers(TrainState& state);
  void keep_pace();

  RunFeed& feed_;
  RunControl& control_;
  LiveViewOptions options_;
  Dataset samples_;
  std::shared_ptr<const diagnostics::Monitor> monitor_;
  std::chrono::steady_clock::time_point last_step_{}, last_map_{}, next_step_{};
  double loss_sum_ = 0;
  int64_t loss_count_ = 0;
  int64_t step_ = 0;
  size_t warnings_sent_ = 0;
};

}  // namespace nnlab::lab
