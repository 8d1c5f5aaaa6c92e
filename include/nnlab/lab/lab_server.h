#pragma once
// LabServer: nnlab lab's HTTP server (cpp-httplib). It serves the page from the files built into
// the program (web_assets.h), routes /api/ to a LabApi it owns, and streams each run's feed as
// server-sent events. It listens on loopback unless told another host; then every request must
// carry the token (?token=T, the header X-Nnlab-Token, or the cookie nnlab_token that the page
// opened with ?token=T is given, which its scripts and styles are then fetched with).
//
//   LabServer server({.host = "127.0.0.1", .port = 0, .api = {.logdir = "runs"}});
//   std::printf("%s\n", server.url().c_str());   // the port the system chose
//   server.serve();                               // until stop() (another thread, a signal)

#include <atomic>
#include <memory>
#include <string>

#include "nnlab/lab/lab_api.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace nnlab::lab {

struct LabServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;        // 0: one the system chooses
  std::string token;      // "" for none (loopback only)
  int http_threads = 32;  // connections served at once (each open page holds one or two)
  LabApiOptions api{};
};

// A random token of 32 hex digits (std::random_device).
std::string random_token();
bool is_loopback(const std::string& host);

class LabServer {
 public:
  // Binds the port; throws std::runtime_error naming the host and port when it cannot.
  explicit LabServer(LabServerOptions options);
  ~LabServer();
  LabServer(const LabServer&) = delete;
  LabServer& operator=(const LabServer&) = delete;

  int port() const { return port_; }
  // "http://127.0.0.1:8080/", with "?token=..." when a token is required.
  std::string url() const;
  LabApi& api() { return *api_; }
  // Serves until stop(); returns at once after it.
  void serve();
  void stop();

 private:
  void routes();
  // Answers with `feed` as server-sent events from the request's cursor (?cursor=N or
  // Last-Event-ID) on; `owner` keeps the feed alive while it streams.
  void stream(const httplib::Request& req, httplib::Response& res, std::shared_ptr<const void> owner, RunFeed& feed);

  LabServerOptions options_;
  std::unique_ptr<LabApi> api_;
  std::unique_ptr<httplib::Server> http_;
  std::atomic<bool> stopping_{false};
  int port_ = 0;
};

}  // namespace nnlab::lab
