#pragma once
// The classic demonstrations, as `nnlab experiment NAME`. Each writes its data
// (CSV) beside its charts (SVG) in --out and prints a short summary.

#include <string>

#include "commands.h"

namespace nnlab::cli {

struct ExperimentSettings {
  std::string out;  // empty: runs/experiments/<name>
  uint64_t seed = 0;
  int threads = 0;
  std::string data;
};

// Registers one experiment as a subcommand of `parent`; `run` sees the shared settings.
// Returns the subcommand, for flags of its own.
using ExperimentRun = std::function<int(const ExperimentSettings&, const std::string& out)>;
CLI::App* add_experiment(CLI::App& parent, const std::string& name, const std::string& description, ExperimentRun run,
                         std::vector<std::pair<CLI::App*, Run>>& runs);

// One adder per file.
void add_optimizer_experiments(CLI::App& parent, std::vector<std::pair<CLI::App*, Run>>& runs);
void add_init_experiments(CLI::App& parent, std::vector<std::pair<CLI::App*, Run>>& runs);
void add_regularization_experiments(CLI::App& parent, std::vector<std::pair<CLI::App*, Run>>& runs);
void add_filter_experiments(CLI::App& parent, std::vector<std::pair<CLI::App*, Run>>& runs);
void add_toy_experiments(CLI::App& parent, std::vector<std::pair<CLI::App*, Run>>& runs);

}  // namespace nnlab::cli
