#pragma once
// LabRun: one training run the lab started, on a worker thread of its own. It owns its data, its
// Training, its RunControl and its RunFeed; the page follows the feed and steers the control.
// When `folder` is given the run keeps its record there as `nnlab train --out` does
// (progress.jsonl as it goes, history.json at the end), so that the lab's list of runs and
// `nnlab lab --logdir` show it beside the runs of nnlab train.
//
//   LabRun run("r1", run_settings_from_json(body), {.folder = "runs/lab-r1", .threads = 1});
//   run.start();
//   run.control().pause();
//   run.feed().after(0, 1s);   // "start", "step", "epoch", "boundary", ..., "done"

#include <atomic>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "nnlab/data/data_source.h"
#include "nnlab/diagnostics/monitor.h"
#include "nnlab/lab/run_control.h"
#include "nnlab/lab/run_feed.h"
#include "nnlab/lab/run_settings.h"
#include "nnlab/train/train.h"

namespace nnlab::lab {

struct LabRunOptions {
  std::string folder;  // where its record goes; "" keeps none
  int threads = 1;     // the training's threads
  int grid_resolution = 64;
};

class LabRun {
 public:
  // Loads the data and sets the run up; throws std::invalid_argument (a setting) or
  // std::runtime_error (data that cannot be read) naming what is wrong.
  LabRun(std::string id, RunSettings settings, LabRunOptions options);
  // Stops the run and waits for its thread.
  ~LabRun();
  LabRun(const LabRun&) = delete;
  LabRun& operator=(const LabRun&) = delete;

  void start();
  const std::string& id() const { return id_; }
  RunFeed& feed() { return feed_; }
  RunControl& control() { return control_; }
  // "running", "paused", "stopped", "done" or "failed", with the settings and the last epoch.
  nlohmann::json summary() const;
  bool finished() const { return finished_; }

 private:
  void work();
  void finish(const History* history, const std::string& failure);
  nlohmann::json start_event() const;

  std::string id_;
  RunSettings settings_;
  LabRunOptions options_;
  LoadedData data_;
  RunFeed feed_;
  RunControl control_;
  std::shared_ptr<diagnostics::Monitor> monitor_;
  std::unique_ptr<Training> training_;
  mutable std::mutex mutex_;
  nlohmann::json test_;
  std::string outcome_;  // "" while it trains
  std::atomic<bool> finished_{false};
  std::thread worker_;
};

}  // namespace nnlab::lab
