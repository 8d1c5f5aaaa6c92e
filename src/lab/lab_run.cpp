#include "nnlab/lab/lab_run.h"

#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "nnlab/data/toy_datasets.h"
#include "nnlab/io/atomic_file.h"
#include "nnlab/lab/live_view.h"
#include "nnlab/lab/test_view.h"
#include "nnlab/train/evaluate.h"
#include "nnlab/train/progress_log.h"

namespace nnlab::lab {

namespace {

constexpr int64_t kHistogramSamples = 256;
constexpr int64_t kPointsShown = 1000;

LoadedData load_run_data(const RunSettings& s) {
  if (is_toy_dataset(s.data)) {
    LoadedData loaded;
    loaded.kind = "toy";
    loaded.name = s.data;
    loaded.source = s.data;
    const ToyOptions train{.samples = s.points, .noise = s.noise, .seed = s.config.seed};
    const ToyOptions test{.samples = std::max<int64_t>(4, s.points / 4), .noise = s.noise, .seed = s.config.seed + 1};
    loaded.split.train = make_toy_dataset(s.data, train);
    loaded.split.test = make_toy_dataset(s.data, test);
    char noise[32];
    std::snprintf(noise, sizeof noise, "%g", s.noise);
    loaded.split.description = s.data + ": " + std::to_string(train.samples) + " train / " +
                               std::to_string(test.samples) + " test points, noise " + noise;
    for (int c = 0; c < loaded.split.train.num_classes; ++c) loaded.classes.push_back("class " + std::to_string(c));
    return loaded;
  }
  LoadedData loaded = load_data(s.data);
  if (loaded.stream) {
    throw std::invalid_argument("data: " + s.data +
                                " is too large to train in the lab (it streams from its file): "
                                "train it with nnlab train --out DIR and follow it here");
  }
  return loaded;
}

bool two_d(const Dataset& data) { return data.classification() && data.sample_shape().numel() == 2; }

nlohmann::json points_json(const Dataset& data) {
  nlohmann::json points = nlohmann::json::array();
  const int64_t n = std::min(data.size(), kPointsShown);
  for (int64_t i = 0; i < n; ++i) {
    points.push_back({data.x.row(i)[0], data.x.row(i)[1], static_cast<int>(data.y.data()[i])});
  }
  return points;
}

}  // namespace

LabRun::LabRun(std::string id, RunSettings settings, LabRunOptions options)
    : id_(std::move(id)), settings_(std::move(settings)), options_(std::move(options)) {
  data_ = load_run_data(settings_);
  const Dataset& train = data_.split.train;
  const int64_t outputs =
      train.classification() ? train.num_classes : train.y.size() / std::max<int64_t>(1, train.size());
  const std::string spec = lab_model_spec(settings_, outputs);
  if (!spec.empty()) settings_.config.model = spec;
  settings_.config.threads = options_.threads;
  control_.set_pace(settings_.pace);

  monitor_ = std::make_shared<diagnostics::Monitor>(
      diagnostics::MonitorOptions{.every = 10, .histogram_values = 2000, .warnings_to = nullptr});
  LiveViewOptions view;
  if (two_d(train)) view.grid = grid_around(train, options_.grid_resolution);
  TrainCallbacks callbacks;
  callbacks.before.push_back(monitor_);
  callbacks.after.push_back(std::make_shared<LiveView>(
      feed_, control_, view, train.slice(0, std::min(train.size(), kHistogramSamples)), monitor_));
  if (!options_.folder.empty()) {
    make_folders(options_.folder);
    callbacks.after.push_back(std::make_shared<ProgressLog>(options_.folder + "/progress.jsonl", to_json(settings_)));
  }
  training_ = std::make_unique<Training>(settings_.config, train, std::move(callbacks));
  feed_.publish("start", start_event());
}

LabRun::~LabRun() {
  control_.stop();
  if (worker_.joinable()) worker_.join();
}

void LabRun::start() {
  if (worker_.joinable()) return;
  worker_ = std::thread([this] { work(); });
}

nlohmann::json LabRun::start_event() const {
  const Dataset& train = data_.split.train;
  nlohmann::json event = {{"id", id_},
                          {"name", settings_.name},
                          {"data", data_.split.description},
                          {"kind", data_.kind},
                          {"classes", data_.classes},
                          {"spec", training_->spec()},
                          {"parameters", training_->model().parameter_count()},
                          {"schedule", training_->schedule()},
                          {"settings", to_json(settings_)}};
  if (two_d(train)) {
    event["points"] = points_json(train);
    event["test_points"] = points_json(data_.split.test);
  }
  return event;
}

void LabRun::work() {
  try {
    History history = training_->fit();
    finish(&history, "");
  } catch (const std::exception& e) {
    finish(nullptr, e.what());
  }
}

void LabRun::finish(const History* history, const std::string& failure) {
  nlohmann::json test;
  nlohmann::json view;
  std::string outcome = "failed";
  if (history != nullptr) {
    try {
      const Dataset& data = data_.split.test;
      const Metrics metrics = evaluate(training_->model(), training_->loss(), data);
      test = {{"loss", json_number(metrics.loss)}};
      if (data.classification()) {
        test["accuracy"] = json_number(metrics.accuracy);
        if (data.size() > 0 && !two_d(data)) view = test_view_json(training_->model(), data, data_.classes);
      } else {
        test["r2"] = json_number(metrics.r2);
      }
      outcome = history->stop_reason.starts_with("stopped from the lab") ? "stopped" : "done";
      if (!options_.folder.empty()) {
        nlohmann::json record = history->to_json();
        record["settings"] = to_json(settings_);
        record["settings"]["model"] = training_->spec();
        record["settings"]["data"] = data_.split.description;
        record["test"] = test;
        write_file_atomic(options_.folder + "/history.json", record.dump(1));
      }
    } catch (const std::exception& e) {
      feed_.publish("warning", {{"message", std::string("after training: ") + e.what()}});
    }
  }
  {
    const std::lock_guard lock(mutex_);
    test_ = test;
    outcome_ = outcome;
  }
  if (!view.is_null()) {
    feed_.publish("confusion", view["confusion"]);
    feed_.publish("worst", view["worst"]);
  }
  feed_.publish("done", {{"outcome", outcome},
                         {"test", test},
                         {"error", failure},
                         {"stop_reason", history != nullptr ? history->stop_reason : failure}});
  feed_.close();
  finished_ = true;
}

nlohmann::json LabRun::summary() const {
  const std::lock_guard lock(mutex_);
  std::string status = outcome_;
  if (status.empty()) status = control_.state() == RunControl::State::kPaused ? "paused" : "running";
  return {{"id", id_},
          {"name", settings_.name},
          {"status", status},
          {"data", settings_.data},
          {"spec", training_->spec()},
          {"settings", to_json(settings_)},
          {"test", test_},
          {"folder", options_.folder}};
}

}  // namespace nnlab::lab
