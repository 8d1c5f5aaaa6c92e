#pragma once
// LabApi: the lab's JSON API, as functions of the request's parts that give the reply, so that
// they are tested without a socket (LabServer routes HTTP requests to them). It owns the runs
// it started. Every bad request gets a 4xx reply with {"error": "..."} naming the field and the
// value; nothing a request holds makes it throw.
//
//   GET  /api/options                      the datasets, optimizers, ... and the defaults
//   POST /api/runs           RunSettings   start a run: {"id": ...}
//   GET  /api/runs                         the runs of this lab, with their state
//   POST /api/runs/ID/control {"action": "pause"|"resume"|"step"|"stop", "lr": 0.01}
//   POST /api/runs/ID/delete               stop it and forget it (Reset)
//   GET  /api/runs/ID/events?cursor=N      its feed (server-sent events; LabServer)
//   GET  /api/logdir                       every run in --logdir: settings and last figures
//   GET  /api/logdir/progress?name=N&offset=B   a run's progress.jsonl from byte B on
//   GET  /api/experiments                  the classic experiments, with their lessons
//   POST /api/experiments    {"name": "optimizer-paths", "params": {...}}   start one: {"id": ...}
//   GET  /api/experiments/ID/events        its feed (server-sent events; LabServer)
//   POST /api/experiments/ID/stop

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "nnlab/lab/experiment_run.h"
#include "nnlab/lab/lab_run.h"

namespace nnlab::lab {

struct ApiReply {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
};
ApiReply json_reply(const nlohmann::json& body, int status = 200);
// {"error": message}.
ApiReply error_reply(int status, const std::string& message);

struct LabApiOptions {
  std::string logdir = "runs";  // "" keeps no records
  int threads = 1;              // of each run
  size_t max_runs = 16;         // held at once; the oldest finished ones are dropped for new ones
  size_t max_body = 1 << 20;    // bytes of a request's body
};

class LabApi {
 public:
  explicit LabApi(LabApiOptions options);
  ~LabApi();  // stops every run
  LabApi(const LabApi&) = delete;
  LabApi& operator=(const LabApi&) = delete;

  const LabApiOptions& options() const { return options_; }
  ApiReply choices() const;
  ApiReply create_run(std::string_view body);
  ApiReply list_runs() const;
  ApiReply control_run(const std::string& id, std::string_view body);
  ApiReply delete_run(const std::string& id);
  ApiReply logdir_runs() const;
  ApiReply logdir_progress(const std::string& name, const std::string& offset) const;
  ApiReply experiment_list() const;
  ApiReply create_experiment(std::string_view body);
  ApiReply stop_experiment(const std::string& id);
  // Null for an unknown id.
  std::shared_ptr<LabRun> find_run(const std::string& id) const;
  std::shared_ptr<ExperimentRun> find_experiment(const std::string& id) const;

 private:
  // Parses a body that is a JSON object; nullopt with the reply to give otherwise.
  std::optional<nlohmann::json> parse_body(std::string_view body, ApiReply& error) const;

  LabApiOptions options_;
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<LabRun>> runs_;  // by id, which sorts by start
  std::map<std::string, std::shared_ptr<ExperimentRun>> experiments_;
  int64_t started_ = 0;
  std::string session_;  // the prefix of this lab's run ids: its start time
};

}  // namespace nnlab::lab
