// nnlab lab: a local web page to train networks and watch them learn, live (docs/lab.md).

#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <thread>

#include "commands.h"
#include "nnlab/lab/lab_server.h"

namespace nnlab::cli {

namespace {

struct LabSettings {
  lab::LabServerOptions server;
  std::string token;
  int threads = 1;
};

int run_lab(LabSettings s) {
  if (s.server.port < 0 || s.server.port > 65535) {
    throw UsageError("--port: must be from 0 to 65535, got " + std::to_string(s.server.port));
  }
  if (!lab::is_loopback(s.server.host)) {
    s.server.token = s.token.empty() ? lab::random_token() : s.token;
  } else {
    s.server.token = s.token;
  }
  s.server.api.threads = capped_threads(s.threads);
  // Ctrl-C and SIGTERM end the server from a thread of their own (sigwait): the signals are
  // blocked before any other thread starts, so that every thread inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::unique_ptr<lab::LabServer> server;
  try {
    server = std::make_unique<lab::LabServer>(s.server);
  } catch (const std::runtime_error& e) {
    throw UsageError(e.what());
  }
  std::printf("nnlab lab: %s\n", server->url().c_str());
  std::printf("(runs are kept in %s; Ctrl-C stops the lab)\n",
              s.server.api.logdir.empty() ? "no folder" : s.server.api.logdir.c_str());
  std::fflush(stdout);
  std::thread waiter([&] {
    int signal = 0;
    sigwait(&signals, &signal);
    server->stop();
  });
  server->serve();
  // The server ended by itself (not by a signal): wake the waiter.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  return 0;
}

}  // namespace

Run add_lab(CLI::App& app) {
  auto s = std::make_shared<LabSettings>();
  app.add_option("--port", s->server.port, "The port to listen on (0: one the system chooses, printed)")
      ->capture_default_str();
  app.add_option("--host", s->server.host,
                 "The address to listen on; any other than loopback requires the token printed at start")
      ->capture_default_str();
  app.add_option("--token", s->token,
                 "The token every request must carry (default: none on loopback, a random one otherwise)");
  app.add_option("--logdir", s->server.api.logdir,
                 "The folder of runs: the lab lists the runs of nnlab train --out DIR there and keeps its own")
      ->capture_default_str();
  app.add_option("--threads", s->threads, "Threads of each run's training")
      ->check(positive_integer())
      ->capture_default_str();
  return [s] { return run_lab(*s); };
}

}  // namespace nnlab::cli
