#pragma once
// What the page asks a lab run to be: the data and the training config, read from the JSON the
// page posts. Every field is optional; missing ones take the lab's defaults, which separate the
// two spirals in seconds (a 2-16-16-2 tanh network, Adam at 0.03, batches of 16, no schedule).
//
//   {"data": "spirals", "noise": 0.1, "points": 1000, "batchnorm": false, "pace": 300, "name": "my run",
//    "config": {"hidden": [16, 16], "activation": "tanh", "optimizer": {"name": "adam", "lr": 0.03}, ...}}
//
// "config" holds TrainConfig's own JSON fields (train_config.h: model, hidden, activation,
// dropout, init, optimizer, weight_decay, schedule, batch_size, epochs, seed, ...).

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "nnlab/train/train_config.h"

namespace nnlab::lab {

struct RunSettings {
  std::string name;              // the label the page shows; "" → the data and model
  std::string data = "spirals";  // what nnlab train --data takes: a toy, mnist, fashion-mnist, a table, a CSV path
  int64_t points = 1000;         // toys: training points (a quarter as many test points)
  double noise = 0.1;            // toys
  bool batchnorm = false;        // BatchNorm after every hidden Linear (before its activation)
  bool residual = false;         // every hidden layer after the first a residual block of two
  double pace = 300;             // steps per second (RunControl::set_pace); 0: full speed
  TrainConfig config;
};

// The lab's default training config (TrainConfig's are for MNIST).
TrainConfig lab_default_config();
nlohmann::json lab_defaults_json();

// Throws std::invalid_argument naming the field and the value that make no sense.
RunSettings run_settings_from_json(const nlohmann::json& j);
nlohmann::json to_json(const RunSettings& settings);

// The model spec for `outputs` outputs: the config's own when it names a model, the hidden
// layers with BatchNorm or as residual blocks when asked, or empty (TrainConfig's MLP, with its
// Dropout).
std::string lab_model_spec(const RunSettings& settings, int64_t outputs);

}  // namespace nnlab::lab
