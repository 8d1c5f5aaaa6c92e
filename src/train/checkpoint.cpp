#include "nnlab/train/checkpoint.h"

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

namespace nnlab {

Checkpoint::Checkpoint(std::string path, int every, std::map<std::string, std::string> metadata)
    : path_(std::move(path)), every_(every), metadata_(std::move(metadata)) {
  if (every < 0) throw std::invalid_argument("checkpoints every " + std::to_string(every) + " epochs: need 0 or more");
}

void Checkpoint::write(TrainState& state) {
  if (!state.snapshot) throw std::logic_error("Checkpoint needs a TrainState with a snapshot (Trainer::fit sets it)");
  // A checkpoint that cannot be written (a full disk) costs the run its safety net, not the
  // run itself: say so, once, and train on; the results are written at the end as always.
  try {
    write_state_dict(path_, state.snapshot(), metadata_);
    ++written_;
  } catch (const std::runtime_error& e) {
    if (!warned_) std::fprintf(stderr, "nnlab: warning: no checkpoint: %s\n", e.what());
    warned_ = true;
    ++failed_;
  }
}

void Checkpoint::on_epoch_end(TrainState& state, const EpochRecord& record) {
  if (every_ > 0 && record.epoch % every_ == 0) write(state);
}

void Checkpoint::on_train_end(TrainState& state) {
  if (state.interrupted) write(state);
}

CheckpointFile read_checkpoint(const std::string& path) {
  if (!std::filesystem::is_regular_file(path)) {
    throw std::runtime_error("no checkpoint " + path + " (nnlab train writes one in its --out folder every epoch)");
  }
  CheckpointFile file;
  file.state = read_state_dict(path, &file.metadata);
  return file;
}

namespace {
// A signal handler can reach nothing but static storage: the one flag of its kind in nnlab.
volatile std::sig_atomic_t g_signal = 0;

extern "C" void note_signal(int signal) {
  g_signal = signal;
  // A second Ctrl-C ends the process at once.
  std::signal(signal, SIG_DFL);
}
}  // namespace

void StopOnSignal::on_train_begin(TrainState& /*state*/) {
  g_signal = 0;
  std::signal(SIGINT, note_signal);
  std::signal(SIGTERM, note_signal);
  installed_ = true;
}

void StopOnSignal::on_step_end(TrainState& state, double /*loss*/) {
  if (g_signal != 0 && !state.stop) {
    state.interrupt(std::string("interrupted by ") + (g_signal == SIGINT ? "SIGINT (Ctrl-C)" : "SIGTERM") +
                    " at step " + std::to_string(state.optimizer.steps()));
  }
}

void StopOnSignal::on_train_end(TrainState& /*state*/) {
  if (!installed_) return;
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  installed_ = false;
}

}  // namespace nnlab
