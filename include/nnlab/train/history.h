#pragma once
// The record of a training run: one row per epoch, the loss of every step, and
// why training stopped. Written as CSV (one row per epoch) and JSON (everything).

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace nnlab {

struct EpochRecord {
  int epoch = 0;          // 1-based
  int64_t steps = 0;      // optimizer steps done so far
  double train_loss = NAN;      // mean over the epoch's batches (including any weight-decay penalty)
  double train_accuracy = NAN;  // on the batches as trained (training mode); NaN for regression
  double val_loss = NAN;        // NaN without validation data
  double val_accuracy = NAN;
  double lr = NAN;              // learning rate at the end of the epoch
  double seconds = 0;           // wall time since training began
};

struct History {
  std::vector<EpochRecord> epochs;
  std::vector<float> step_loss;  // the loss of every step, in order
  std::string stop_reason;       // "completed 20 epochs", "early stopping: ...", ...

  std::string to_csv() const;
  nlohmann::json to_json() const;
};

// NaN → null, so the JSON stays valid.
nlohmann::json json_number(double value);

}  // namespace nnlab
