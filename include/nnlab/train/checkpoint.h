#pragma once
// Checkpoints and interruption: a run that stops, by Ctrl-C, SIGTERM or kill -9,
// continues later as if it had never stopped.
//
//   trainer.add_callback(std::make_shared<StopOnSignal>());
//   trainer.add_callback(std::make_shared<Checkpoint>("runs/a/checkpoint.safetensors", 1, metadata));
//   ...
//   trainer.resume_from(read_checkpoint("runs/a/checkpoint.safetensors").state);
//
// Checkpoint writes Trainer::state_dict() (model, optimizer, loader, generators,
// history, progress, stateful callbacks) atomically every `every` epochs and when
// training is interrupted; a kill at any moment leaves the last complete checkpoint.
// StopOnSignal turns the first SIGINT or SIGTERM into a stop at the end of the
// current step (a second one ends the process at once, as usual).

#include <map>
#include <string>

#include "nnlab/train/callback.h"

namespace nnlab {

class Checkpoint final : public Callback {
 public:
  // every: epochs between checkpoints (0: only when interrupted). metadata is written with
  // each checkpoint (e.g. the settings a resumed run must be rebuilt with).
  Checkpoint(std::string path, int every, std::map<std::string, std::string> metadata = {});

  void on_epoch_end(TrainState& state, const EpochRecord& record) override;
  void on_train_end(TrainState& state) override;

  const std::string& path() const { return path_; }
  // Checkpoints written by this callback so far, and those that could not be written (a
  // warning on stderr says why, the first time; training goes on).
  int written() const { return written_; }
  int failed() const { return failed_; }

 private:
  void write(TrainState& state);

  std::string path_;
  int every_;
  std::map<std::string, std::string> metadata_;
  int written_ = 0;
  int failed_ = 0;
  bool warned_ = false;
};

struct CheckpointFile {
  StateDict state;
  std::map<std::string, std::string> metadata;
};
// Throws std::runtime_error naming the path when the file is missing or damaged.
CheckpointFile read_checkpoint(const std::string& path);

class StopOnSignal final : public Callback {
 public:
  void on_train_begin(TrainState& state) override;
  void on_step_end(TrainState& state, double loss) override;
  void on_train_end(TrainState& state) override;

 private:
  bool installed_ = false;
};

}  // namespace nnlab
