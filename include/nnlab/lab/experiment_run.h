#pragma once
// ExperimentRun: one of the classic experiments (lab_experiments.h) run by the lab on a worker
// thread of its own, publishing to its feed as its parts finish, and closing it with "done".

#include <atomic>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "nnlab/lab/run_feed.h"

namespace nnlab::lab {

class ExperimentRun {
 public:
  // Throws std::invalid_argument for an unknown experiment or a bad parameter.
  ExperimentRun(std::string id, const std::string& name, const nlohmann::json& params);
  // Asks it to stop after its current part, and waits for it.
  ~ExperimentRun();
  ExperimentRun(const ExperimentRun&) = delete;
  ExperimentRun& operator=(const ExperimentRun&) = delete;

  void start();
  void stop() { stop_ = true; }
  const std::string& id() const { return id_; }
  RunFeed& feed() { return feed_; }
  bool finished() const { return finished_; }

 private:
  std::string id_;
  std::function<void(RunFeed&, const std::atomic<bool>&)> job_;
  RunFeed feed_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> finished_{false};
  std::thread worker_;
};

}  // namespace nnlab::lab
