#pragma once
// One trial of a hyperparameter search: what to train (a point of the space and
// an epoch budget) and what came of it (validation accuracy per epoch).
//
// Records stream to a JSON-lines file, one finished trial per line, appended and
// flushed as each trial ends; a search started again on the same file loads them
// and runs only the trials that are missing.

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "nnlab/search/search_space.h"

namespace nnlab {

struct TrialPlan {
  Point point{};
  int epochs = 1;
  int rung = 0;     // successive halving: how many times this configuration was promoted
  int parent = -1;  // successive halving: the trial this one continues (-1: none)
  // The trial whose training seed this one uses (-1: its own). A promoted trial
  // retrains from the start with its first rung's seed, so its first epochs repeat
  // that rung's exactly.
  int origin = -1;
};

struct TrialRecord {
  int index = 0;
  TrialPlan plan{};
  std::vector<double> val_accuracy{};  // one per epoch
  std::vector<double> val_loss{};
  double score = NAN;  // the last epoch's validation accuracy (the course's measure); NaN: diverged
  bool diverged = false;
  double seconds = 0;
  int worker = 0;

  nlohmann::json to_json(const SearchSpace& space) const;
  static TrialRecord from_json(const nlohmann::json& json, const SearchSpace& space);
};

// Trials ordered by score, best first; diverged ones last, ties by index.
std::vector<TrialRecord> ranked(std::vector<TrialRecord> trials);

// The header line a results file starts with: what was searched, so that a
// resumed search can refuse a file written under other settings.
// Loads the finished trials of a JSON-lines results file (none when it does not
// exist). A torn last line (the process was killed mid-write) is ignored.
// Throws std::runtime_error when the file's header differs from `header`.
std::vector<TrialRecord> load_trials(const std::string& path, const nlohmann::json& header, const SearchSpace& space);

// Appends one JSON value as a line and flushes it to disk before returning.
void append_json_line(const std::string& path, const nlohmann::json& value);

}  // namespace nnlab
