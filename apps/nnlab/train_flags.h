#pragma once
// The flags of a TrainConfig, declared once for every command that trains (train, search),
// with the config's own defaults.

#include <CLI/CLI.hpp>
#include <set>
#include <string>

#include "nnlab/data/data_source.h"
#include "nnlab/train/train_config.h"

namespace nnlab::cli {

void add_train_config_flags(CLI::App& app, TrainConfig& config);

// The flags given on the command line ("--epochs", ...).
std::set<std::string> given_flags(const CLI::App& app);

// Sets the config fields that the data's hints name and whose flags were not given; returns
// the flags applied (" --batch-size 16 --epochs 200"), empty when none. Throws UsageError when
// the result does not check (a hinted batch with a given flag that conflicts).
std::string apply_data_hints(TrainConfig& config, const TrainingHints& hints, const std::set<std::string>& given);

// `nnlab train ... --data DATA` for the config, with every flag the data has a hint for written
// out, so that the hints do not change the run it names.
std::string train_command_for_data(const TrainConfig& config, const std::string& data, const TrainingHints& hints);

}  // namespace nnlab::cli
