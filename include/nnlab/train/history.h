#pragma once
// The record of a training run: one row per epoch, the loss of every step, and
// why training stopped. Written as CSV (one row per epoch) and JSON (everything).
//
// Its state dict, to resume a run: one array per EpochRecord field over the epochs
// ("epochs.epoch", "epochs.train_loss", ...), "step_loss" (F32), "stop_reason" and
// "monitor" (U8 text), "best_epoch", "best_value", "stopped_epoch" and "restored".

#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "nnlab/state/stateful.h"

namespace nnlab {

struct EpochRecord {
  int epoch = 0;                // 1-based
  int64_t steps = 0;            // optimizer steps done so far
  double train_loss = NAN;      // mean over the epoch's batches (including any weight-decay penalty)
  double train_accuracy = NAN;  // on the batches as trained (training mode); NaN for regression
  double val_loss = NAN;        // NaN without validation data
  double val_accuracy = NAN;
  double lr = NAN;     // learning rate at the end of the epoch
  double seconds = 0;  // wall time since training began
};

// An epoch's record as a JSON object (NaN as null): a row of history.json's "epochs", a line of
// progress.jsonl (progress_log.h).
nlohmann::json epoch_json(const EpochRecord& record);

struct History final : Stateful {
  std::vector<EpochRecord> epochs;
  std::vector<float> step_loss;  // the loss of every step, in order
  std::string stop_reason;       // "completed 20 epochs", "early stopping: ...", ...
  // Filled by EarlyStopping (empty/0/NaN/false without it):
  std::string monitor;      // the value it watched: "val_loss" or "val_accuracy"
  int best_epoch = 0;       // the epoch with the best monitored value
  double best_value = NAN;  // that value
  int stopped_epoch = 0;    // the epoch after which it stopped training; 0 if it did not
  bool restored = false;    // whether the model was given back the weights of best_epoch

  std::string to_csv() const;
  nlohmann::json to_json() const;

  StateDict state_dict() const override;
  // Throws std::runtime_error naming an entry that is missing, unexpected, or
  // whose length differs from the other epoch arrays.
  void load_state_dict(const StateDict& state) override;
};

// NaN → null, so the JSON stays valid.
nlohmann::json json_number(double value);

}  // namespace nnlab
