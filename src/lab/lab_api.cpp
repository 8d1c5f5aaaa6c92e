#include "nnlab/lab/lab_api.h"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <stdexcept>

#include "nnlab/data/data_source.h"
#include "nnlab/data/toy_datasets.h"
#include "nnlab/lab/lab_experiments.h"
#include "nnlab/lab/logdir.h"

namespace nnlab::lab {

namespace {

std::string start_time_text() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%d-%H%M%S", &local);
  return text;
}

}  // namespace

ApiReply json_reply(const nlohmann::json& body, int status) {
  return {status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), "application/json"};
}

ApiReply error_reply(int status, const std::string& message) { return json_reply({{"error", message}}, status); }

LabApi::LabApi(LabApiOptions options) : options_(std::move(options)), session_("lab-" + start_time_text()) {}

LabApi::~LabApi() {
  std::map<std::string, std::shared_ptr<LabRun>> runs;
  {
    const std::lock_guard lock(mutex_);
    runs.swap(runs_);
  }
  for (auto& [id, run] : runs) run->control().stop();
  std::map<std::string, std::shared_ptr<ExperimentRun>> experiments;
  {
    const std::lock_guard lock(mutex_);
    experiments.swap(experiments_);
  }
  for (auto& [id, experiment] : experiments) experiment->stop();
}

std::optional<nlohmann::json> LabApi::parse_body(std::string_view body, ApiReply& error) const {
  if (body.size() > options_.max_body) {
    error = error_reply(400, "the request's body holds " + std::to_string(body.size()) + " bytes; at most " +
                                 std::to_string(options_.max_body) + " are taken");
    return std::nullopt;
  }
  nlohmann::json j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    error = error_reply(400, "the request's body is not JSON: '" + std::string(body.substr(0, 80)) + "'");
    return std::nullopt;
  }
  if (!j.is_object()) {
    error = error_reply(400, "the request's body must be a JSON object, got " + j.dump().substr(0, 80));
    return std::nullopt;
  }
  return j;
}

ApiReply LabApi::choices() const {
  nlohmann::json toys = nlohmann::json::array();
  for (const std::string& name : toy_dataset_names()) {
    if (name != "sine") toys.push_back(name);
  }
  nlohmann::json datasets = {{"toys", toys}, {"images", {"mnist"}}, {"tables", nlohmann::json::array()}};
  std::error_code error;
  if (std::filesystem::is_directory(kFashionMnistFolder, error)) datasets["images"].push_back("fashion-mnist");
  for (const char* table : {"iris", "wine", "breast-cancer", "digits"}) datasets["tables"].push_back(table);
  return json_reply({{"datasets", datasets},
                     {"regression", {"sine", "diabetes"}},
                     {"activations", {"tanh", "relu", "sigmoid"}},
                     {"inits", {"auto", "xavier-normal", "he-normal", "lecun-normal", "normal:0.01", "normal:1"}},
                     {"optimizers", {"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"}},
                     {"schedules", {"constant", "cosine", "step:30:0.5", "exponential:0.99"}},
                     {"defaults", lab_defaults_json()},
                     {"logdir", options_.logdir}});
}

ApiReply LabApi::create_run(std::string_view body) {
  ApiReply error;
  const auto j = parse_body(body, error);
  if (!j) return error;
  RunSettings settings;
  try {
    settings = run_settings_from_json(*j);
  } catch (const std::exception& e) {
    return error_reply(400, e.what());
  }
  std::string id;
  {
    const std::lock_guard lock(mutex_);
    while (runs_.size() >= options_.max_runs) {
      auto finished = std::find_if(runs_.begin(), runs_.end(), [](const auto& r) { return r.second->finished(); });
      if (finished == runs_.end()) {
        return error_reply(400, std::to_string(runs_.size()) + " runs are training: stop one before starting another");
      }
      runs_.erase(finished);
    }
    char number[32];
    std::snprintf(number, sizeof number, "-%03lld", static_cast<long long>(++started_));
    id = session_ + number;
  }
  std::shared_ptr<LabRun> run;
  try {
    const std::string folder = options_.logdir.empty() ? "" : options_.logdir + "/" + id;
    run =
        std::make_shared<LabRun>(id, std::move(settings), LabRunOptions{.folder = folder, .threads = options_.threads});
  } catch (const std::exception& e) {
    return error_reply(400, e.what());
  }
  run->start();
  {
    const std::lock_guard lock(mutex_);
    runs_[id] = run;
  }
  return json_reply({{"id", id}}, 201);
}

ApiReply LabApi::list_runs() const {
  nlohmann::json runs = nlohmann::json::array();
  const std::lock_guard lock(mutex_);
  for (const auto& [id, run] : runs_) runs.push_back(run->summary());
  return json_reply({{"runs", runs}});
}

std::shared_ptr<LabRun> LabApi::find_run(const std::string& id) const {
  const std::lock_guard lock(mutex_);
  const auto it = runs_.find(id);
  return it == runs_.end() ? nullptr : it->second;
}

ApiReply LabApi::control_run(const std::string& id, std::string_view body) {
  ApiReply error;
  const auto j = parse_body(body, error);
  if (!j) return error;
  const std::shared_ptr<LabRun> run = find_run(id);
  if (!run) return error_reply(404, "no run '" + id.substr(0, 80) + "' in this lab");
  const nlohmann::json action = j->value("action", nlohmann::json());
  if (j->contains("lr")) {
    const nlohmann::json& lr = j->at("lr");
    if (!lr.is_number()) return error_reply(400, "lr: must be a number above 0, got " + lr.dump().substr(0, 80));
    try {
      run->control().set_lr(lr.get<double>());
    } catch (const std::invalid_argument& e) {
      return error_reply(400, e.what());
    }
  }
  if (j->contains("pace")) {
    const nlohmann::json& pace = j->at("pace");
    if (!pace.is_number() || pace.get<double>() < 0) {
      return error_reply(
          400, "pace: must be 0 (full speed) or a number of steps per second, got " + pace.dump().substr(0, 80));
    }
    run->control().set_pace(pace.get<double>());
  }
  if (action.is_null() && (j->contains("lr") || j->contains("pace"))) return json_reply(run->summary());
  if (!action.is_string()) {
    return error_reply(400, "action: must be pause, resume, step or stop, got " + action.dump().substr(0, 80));
  }
  const std::string a = action.get<std::string>();
  if (a == "pause") {
    run->control().pause();
  } else if (a == "resume") {
    run->control().resume();
  } else if (a == "step") {
    run->control().step();
  } else if (a == "stop") {
    run->control().stop();
  } else {
    return error_reply(400, "action: must be pause, resume, step or stop, got '" + a.substr(0, 80) + "'");
  }
  return json_reply(run->summary());
}

ApiReply LabApi::delete_run(const std::string& id) {
  std::shared_ptr<LabRun> run;
  {
    const std::lock_guard lock(mutex_);
    const auto it = runs_.find(id);
    if (it == runs_.end()) return error_reply(404, "no run '" + id.substr(0, 80) + "' in this lab");
    run = it->second;
    runs_.erase(it);
  }
  run->control().stop();
  return json_reply({{"deleted", id}});
}

ApiReply LabApi::logdir_runs() const {
  return json_reply({{"logdir", options_.logdir}, {"runs", list_logdir(options_.logdir)}});
}

ApiReply LabApi::logdir_progress(const std::string& name, const std::string& offset) const {
  int64_t from = 0;
  if (!offset.empty()) {
    const auto [end, error] = std::from_chars(offset.data(), offset.data() + offset.size(), from);
    if (error != std::errc() || end != offset.data() + offset.size() || from < 0) {
      return error_reply(400, "offset: must be 0 or a positive integer, got '" + offset.substr(0, 80) + "'");
    }
  }
  try {
    return json_reply(read_progress(options_.logdir, name, from));
  } catch (const std::invalid_argument& e) {
    return error_reply(400, e.what());
  } catch (const std::exception& e) {
    return error_reply(400, std::string("name: ") + name.substr(0, 80) + ": " + e.what());
  }
}

ApiReply LabApi::experiment_list() const {
  nlohmann::json list = nlohmann::json::array();
  for (const LabExperiment& e : lab_experiments()) {
    list.push_back({{"name", e.name}, {"title", e.title}, {"lesson", e.lesson}});
  }
  return json_reply({{"experiments", list}});
}

ApiReply LabApi::create_experiment(std::string_view body) {
  ApiReply error;
  const auto j = parse_body(body, error);
  if (!j) return error;
  const nlohmann::json name = j->value("name", nlohmann::json());
  if (!name.is_string()) return error_reply(400, "name: must name an experiment, got " + name.dump().substr(0, 80));
  std::string id;
  {
    const std::lock_guard lock(mutex_);
    // One at a time: a new one stops the one before (they share the machine's cores).
    for (auto& [old, experiment] : experiments_) experiment->stop();
    std::erase_if(experiments_, [](const auto& e) { return e.second->finished(); });
    if (experiments_.size() >= options_.max_runs) return error_reply(400, "too many experiments are still stopping");
    char number[32];
    std::snprintf(number, sizeof number, "-x%03lld", static_cast<long long>(++started_));
    id = session_ + number;
  }
  std::shared_ptr<ExperimentRun> experiment;
  try {
    experiment =
        std::make_shared<ExperimentRun>(id, name.get<std::string>(), j->value("params", nlohmann::json::object()));
  } catch (const std::exception& e) {
    return error_reply(400, e.what());
  }
  experiment->start();
  {
    const std::lock_guard lock(mutex_);
    experiments_[id] = experiment;
  }
  return json_reply({{"id", id}}, 201);
}

ApiReply LabApi::stop_experiment(const std::string& id) {
  const std::shared_ptr<ExperimentRun> experiment = find_experiment(id);
  if (!experiment) return error_reply(404, "no experiment '" + id.substr(0, 80) + "' in this lab");
  experiment->stop();
  return json_reply({{"stopped", id}});
}

std::shared_ptr<ExperimentRun> LabApi::find_experiment(const std::string& id) const {
  const std::lock_guard lock(mutex_);
  const auto it = experiments_.find(id);
  return it == experiments_.end() ? nullptr : it->second;
}

}  // namespace nnlab::lab
