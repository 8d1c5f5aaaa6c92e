#include "nnlab/lab/lab_server.h"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <stdexcept>

#include "nnlab/lab/web_assets.h"

namespace nnlab::lab {

namespace {

constexpr auto kEventWait = std::chrono::milliseconds(500);

void reply(httplib::Response& res, const ApiReply& r) {
  res.status = r.status;
  res.set_content(r.body, r.content_type.c_str());
}

constexpr const char* kTokenCookie = "nnlab_token";

// The request's token: the query's, the header's, or the cookie's (which the page's own requests
// for its scripts and styles carry: they name no token).
std::string token_of(const httplib::Request& req) {
  if (req.has_param("token")) return req.get_param_value("token");
  if (req.has_header("X-Nnlab-Token")) return req.get_header_value("X-Nnlab-Token");
  const std::string cookies = req.get_header_value("Cookie");
  const std::string key = std::string(kTokenCookie) + "=";
  for (size_t at = cookies.find(key); at != std::string::npos; at = cookies.find(key, at + 1)) {
    if (at == 0 || cookies[at - 1] == ' ' || cookies[at - 1] == ';') {
      const size_t end = cookies.find(';', at);
      return cookies.substr(at + key.size(), end == std::string::npos ? std::string::npos : end - at - key.size());
    }
  }
  return "";
}

std::string sse_text(const FeedEvent& e) {
  return "id: " + std::to_string(e.id) + "\nevent: " + e.type + "\ndata: " + e.data + "\n\n";
}

}  // namespace

std::string random_token() {
  std::random_device device;
  std::string token;
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = 0; i < 32; ++i) token += kHex[device() % 16];
  return token;
}

bool is_loopback(const std::string& host) { return host == "127.0.0.1" || host == "localhost" || host == "::1"; }

LabServer::LabServer(LabServerOptions options)
    : options_(std::move(options)),
      api_(std::make_unique<LabApi>(options_.api)),
      http_(std::make_unique<httplib::Server>()) {
  const size_t threads = static_cast<size_t>(std::max(4, options_.http_threads));
  http_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  // Bodies are read up to 64 MB, so that one above the API's limit (1 MB) gets its 400 and message
  // from LabApi; beyond, httplib refuses it unread (413, answered as 400 by the error handler).
  http_->set_payload_max_length(std::max<size_t>(options_.api.max_body + 1, 64 << 20));
  http_->set_keep_alive_timeout(2);
  routes();
  port_ = options_.port == 0 ? http_->bind_to_any_port(options_.host)
                             : (http_->bind_to_port(options_.host, options_.port) ? options_.port : -1);
  if (port_ <= 0) {
    throw std::runtime_error("--host " + options_.host + " --port " + std::to_string(options_.port) +
                             ": cannot listen there (in use by another program, or not this machine's address)");
  }
}

LabServer::~LabServer() { stop(); }

std::string LabServer::url() const {
  const std::string host = options_.host.find(':') != std::string::npos ? "[" + options_.host + "]" : options_.host;
  return "http://" + host + ":" + std::to_string(port_) + "/" +
         (options_.token.empty() ? "" : "?token=" + options_.token);
}

void LabServer::serve() { http_->listen_after_bind(); }

void LabServer::stop() {
  stopping_ = true;
  http_->stop();
}

void LabServer::stream(const httplib::Request& req, httplib::Response& res, std::shared_ptr<const void> owner,
                       RunFeed& feed) {
  int64_t cursor = 0;
  const std::string from =
      req.has_header("Last-Event-ID") ? req.get_header_value("Last-Event-ID") : req.get_param_value("cursor");
  if (!from.empty()) cursor = std::max<long long>(0, std::strtoll(from.c_str(), nullptr, 10));
  res.set_header("Cache-Control", "no-cache");
  // The provider keeps the run alive (`owner`) while a reader follows it, even after it was deleted.
  res.set_chunked_content_provider("text/event-stream",
                                   [this, owner, &feed, cursor](size_t, httplib::DataSink& sink) mutable {
                                     if (stopping_) return false;
                                     const std::vector<FeedEvent> events = feed.after(cursor, kEventWait);
                                     std::string text;
                                     for (const FeedEvent& e : events) text += sse_text(e), cursor = e.id;
                                     if (text.empty()) {
                                       if (feed.closed()) {
                                         sink.done();
                                         return true;
                                       }
                                       text = ": waiting\n\n";  // a tab that was closed shows up as a failed write
                                     }
                                     return sink.write(text.data(), text.size());
                                   });
}

void LabServer::routes() {
  httplib::Server& s = *http_;
  s.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (!options_.token.empty() && token_of(req) != options_.token) {
      reply(res, error_reply(403, "this lab needs its token: open the URL nnlab lab printed (…/?token=…)"));
      return httplib::Server::HandlerResponse::Handled;
    }
    if (!options_.token.empty() && req.has_param("token")) {
      res.set_header("Set-Cookie",
                     std::string(kTokenCookie) + "=" + options_.token + "; Path=/; HttpOnly; SameSite=Strict");
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  s.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr e) {
    std::string what = "unknown error";
    try {
      if (e) std::rethrow_exception(e);
    } catch (const std::exception& x) {
      what = x.what();
    } catch (...) {
    }
    reply(res, error_reply(500, what));
  });
  s.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    if (res.status == 413) res.status = 400;
    reply(res, error_reply(res.status, res.status == 404 ? "no such page: " + req.path.substr(0, 80)
                                                         : "bad request (HTTP " + std::to_string(res.status) + ")"));
  });

  s.Get("/api/options", [this](const httplib::Request&, httplib::Response& res) { reply(res, api_->choices()); });
  s.Get("/api/runs", [this](const httplib::Request&, httplib::Response& res) { reply(res, api_->list_runs()); });
  s.Post("/api/runs",
         [this](const httplib::Request& req, httplib::Response& res) { reply(res, api_->create_run(req.body)); });
  s.Post(R"(/api/runs/([^/]+)/control)", [this](const httplib::Request& req, httplib::Response& res) {
    reply(res, api_->control_run(req.matches[1], req.body));
  });
  s.Post(R"(/api/runs/([^/]+)/delete)",
         [this](const httplib::Request& req, httplib::Response& res) { reply(res, api_->delete_run(req.matches[1])); });
  s.Get("/api/logdir", [this](const httplib::Request&, httplib::Response& res) { reply(res, api_->logdir_runs()); });
  s.Get("/api/logdir/progress", [this](const httplib::Request& req, httplib::Response& res) {
    reply(res, api_->logdir_progress(req.get_param_value("name"), req.get_param_value("offset")));
  });
  s.Get(R"(/api/runs/([^/]+)/events)", [this](const httplib::Request& req, httplib::Response& res) {
    const std::shared_ptr<LabRun> run = api_->find_run(req.matches[1]);
    if (!run)
      return reply(res, error_reply(404, "no run '" + std::string(req.matches[1]).substr(0, 80) + "' in this lab"));
    stream(req, res, run, run->feed());
  });
  s.Get("/api/experiments",
        [this](const httplib::Request&, httplib::Response& res) { reply(res, api_->experiment_list()); });
  s.Post("/api/experiments", [this](const httplib::Request& req, httplib::Response& res) {
    reply(res, api_->create_experiment(req.body));
  });
  s.Post(R"(/api/experiments/([^/]+)/stop)", [this](const httplib::Request& req, httplib::Response& res) {
    reply(res, api_->stop_experiment(req.matches[1]));
  });
  s.Get(R"(/api/experiments/([^/]+)/events)", [this](const httplib::Request& req, httplib::Response& res) {
    const std::shared_ptr<ExperimentRun> experiment = api_->find_experiment(req.matches[1]);
    if (!experiment) {
      return reply(res,
                   error_reply(404, "no experiment '" + std::string(req.matches[1]).substr(0, 80) + "' in this lab"));
    }
    stream(req, res, experiment, experiment->feed());
  });
  s.Get(R"(/(.*))", [](const httplib::Request& req, httplib::Response& res) {
    std::string path = req.matches[1];
    if (path.empty()) path = "index.html";
    const WebAsset* asset = find_web_asset(path);
    if (asset == nullptr) return reply(res, error_reply(404, "no such page: /" + path.substr(0, 80)));
    res.set_content(asset->bytes.data(), asset->bytes.size(), std::string(content_type_for(path)).c_str());
  });
}

}  // namespace nnlab::lab
