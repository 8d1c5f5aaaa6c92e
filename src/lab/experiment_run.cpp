#include "nnlab/lab/experiment_run.h"

#include "nnlab/lab/lab_experiments.h"

namespace nnlab::lab {

ExperimentRun::ExperimentRun(std::string id, const std::string& name, const nlohmann::json& params)
    : id_(std::move(id)), job_(prepare_experiment(name, params)) {}

ExperimentRun::~ExperimentRun() {
  stop_ = true;
  if (worker_.joinable()) worker_.join();
}

void ExperimentRun::start() {
  if (worker_.joinable()) return;
  worker_ = std::thread([this] {
    std::string error;
    try {
      job_(feed_, stop_);
    } catch (const std::exception& e) {
      error = e.what();
    }
    feed_.publish("done", {{"outcome", !error.empty() ? "failed" : stop_ ? "stopped" : "done"}, {"error", error}});
    feed_.close();
    finished_ = true;
  });
}

}  // namespace nnlab::lab
