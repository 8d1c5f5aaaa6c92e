#pragma once
// The flags of a TrainConfig, declared once for every command that trains (train, search),
// with the config's own defaults.

#include <CLI/CLI.hpp>

#include "nnlab/train/train_config.h"

namespace nnlab::cli {

void add_train_config_flags(CLI::App& app, TrainConfig& config);

}  // namespace nnlab::cli
