#pragma once
// ProgressLog: a training callback that appends the run's progress to a file as it goes, one JSON
// object a line (JSON Lines), so that another program (nnlab lab) follows a run while it trains:
//
//   {"settings": {...}}                                  first, when the file is new
//   {"epoch": 1, "steps": 15, "train_loss": 0.69, ...}   after every epoch (an EpochRecord)
//   {"stop_reason": "completed 20 epochs"}               when training ends
//
// Each line is written whole and flushed at once: a reader sees complete lines only, or a last
// line without its newline that it reads again later. A resumed run appends to the same file.

#include <nlohmann/json.hpp>
#include <string>

#include "nnlab/train/callback.h"

namespace nnlab {

class ProgressLog final : public Callback {
 public:
  ProgressLog(std::string path, nlohmann::json settings);

  void on_train_begin(TrainState& state) override;
  void on_epoch_end(TrainState& state, const EpochRecord& record) override;
  void on_train_end(TrainState& state) override;
  const std::string& path() const { return path_; }

 private:
  // Throws std::runtime_error naming the file when it cannot be written.
  void append(const nlohmann::json& line) const;

  std::string path_;
  nlohmann::json settings_;
};

}  // namespace nnlab
