#include "nnlab/train/train_config.h"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <thread>

#include "nnlab/io/number_text.h"
#include "nnlab/losses/loss_factory.h"
#include "nnlab/model/model_spec.h"

namespace nnlab {

double default_lr(const std::string& optimizer) {
  if (optimizer == "sgd") return 0.1;
  if (optimizer == "momentum" || optimizer == "nesterov") return 0.05;
  if (optimizer == "adagrad") return 0.01;
  return 0.001;  // rmsprop, adam, adamw
}

namespace {

std::string text(double value) { return round_trip_number(value); }

void require(bool ok, const std::string& message) {
  if (!ok) throw std::invalid_argument(message);
}

void require_non_negative(double value, const char* flag) {
  require(value >= 0 && std::isfinite(value), std::string(flag) + " must be a number >= 0, got " + text(value));
}

}  // namespace

void check(const TrainConfig& c) {
  const auto& names = optimizer_names();
  if (std::find(names.begin(), names.end(), c.optimizer.name) == names.end()) {
    std::string known;
    for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
    throw std::invalid_argument("unknown --optimizer '" + c.optimizer.name + "' (choose " + known + ")");
  }
  // lr 0 picks the optimizer's default; anything else must be a usable rate.
  require(c.optimizer.lr >= 0 && std::isfinite(c.optimizer.lr),
          "--lr must be a positive number (or 0 for the optimizer's default), got " + text(c.optimizer.lr));
  require_non_negative(c.weight_decay, "--weight-decay");
  require_non_negative(c.l1, "--l1");
  require_non_negative(c.clip_norm, "--clip-norm");
  require_non_negative(c.clip_value, "--clip-value");
  require(!(c.weight_decay > 0 && c.l1 > 0), "choose one of --weight-decay (L2) and --l1");
  require(c.activation == "relu" || c.activation == "sigmoid" || c.activation == "tanh" || c.activation == "identity" ||
              c.activation == "step",
          "unknown --activation '" + c.activation + "' (choose relu, sigmoid, tanh, identity, step)");
  for (int64_t width : c.hidden)
    require(width >= 1, "--hidden widths must be at least 1, got " + std::to_string(width));
  require(c.dropout >= 0 && c.dropout < 1, "--dropout must be in [0, 1), got " + text(c.dropout));
  require(c.model.empty() || c.dropout == 0,
          "--dropout adds Dropout to the --hidden network; with --model put dropout:P in the spec");
  require(c.batch_size >= 1, "--batch-size must be at least 1, got " + std::to_string(c.batch_size));
  require(c.accumulate_steps >= 1, "--accumulate-steps must be at least 1, got " + std::to_string(c.accumulate_steps));
  require(c.epochs >= 1, "--epochs must be at least 1, got " + std::to_string(c.epochs));
  require(c.iterations >= 0, "--iterations must be at least 1, got " + std::to_string(c.iterations));
  require(c.train_size >= 0, "--train-size must be >= 0 (0: all), got " + std::to_string(c.train_size));
  require(c.val_split >= 0 && c.val_split < 1, "--val-split must be in [0, 1), got " + text(c.val_split));
  require(c.early_stopping >= 0,
          "--early-stopping takes a patience in epochs (0: off), got " + std::to_string(c.early_stopping));
  require(c.early_stopping_metric == "val_loss" || c.early_stopping_metric == "val_accuracy",
          "--early-stopping-metric must be val_loss or val_accuracy, got '" + c.early_stopping_metric + "'");
  require_non_negative(c.min_delta, "--min-delta");
  require(c.early_stopping == 0 || c.val_split > 0,
          "--early-stopping needs validation data to watch: give --val-split above 0 (e.g. 0.1)");
  require(c.threads >= 0, "--threads must be at least 1, got " + std::to_string(c.threads));
  if (c.loss != "auto") {
    try {
      make_loss<float>(c.loss);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(std::string("--loss: ") + e.what());
    }
  }
}

std::string loss_spec(const TrainConfig& c, bool classification) {
  if (c.loss == "auto") return classification ? "cross-entropy" : "mse";
  if (classification && regression_loss(c.loss)) {
    throw std::invalid_argument("--loss " + c.loss +
                                " is a regression loss and the data holds classes: use cross-entropy (or --task "
                                "regression for a CSV target of numbers)");
  }
  if (!classification && !regression_loss(c.loss)) {
    throw std::invalid_argument("--loss " + c.loss + " needs classes and the data holds values: use mse, mae or huber");
  }
  return c.loss;
}

OptimizerOptions optimizer_options(const TrainConfig& c) {
  OptimizerOptions o = c.optimizer;
  if (o.lr == 0) o.lr = default_lr(o.name);
  if (c.weight_decay > 0) o.weight_decay = WeightDecay::l2(c.weight_decay);
  if (c.l1 > 0) o.weight_decay = WeightDecay::l1(c.l1);
  return o;
}

Initializer initializer(const TrainConfig& c) {
  if (c.init != "auto") return Initializer::parse(c.init);
  // He keeps the spread of ReLU activations; Xavier suits the symmetric ones.
  return c.activation == "relu" ? Initializer::he_normal() : Initializer::xavier_normal();
}

std::string model_spec(const TrainConfig& c, int64_t outputs) {
  if (is_preset(c.model) && outputs != 10) {
    // The presets end in MNIST's 10 classes: their last layer gets the data's outputs instead.
    std::string spec = preset_spec(c.model);
    const auto last = spec.rfind("linear:10");
    if (last != std::string::npos && last + 9 == spec.size())
      return spec.substr(0, last) + "linear:" + std::to_string(outputs);
    return spec;
  }
  if (!c.model.empty()) return c.model;
  if (c.dropout == 0) return mlp_spec(c.hidden, c.activation, outputs);
  std::string spec;
  for (int64_t width : c.hidden) {
    spec += "linear:" + std::to_string(width) + "," + c.activation + ",dropout:" + text(c.dropout) + ",";
  }
  return spec + "linear:" + std::to_string(outputs);
}

int thread_count(const TrainConfig& c) {
  return c.threads > 0 ? c.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

nlohmann::json to_json(const TrainConfig& c) {
  nlohmann::json j = {{"model", c.model},
                      {"hidden", c.hidden},
                      {"activation", c.activation},
                      {"dropout", c.dropout},
                      {"init", c.init},
                      {"loss", c.loss},
                      {"optimizer",
                       {{"name", c.optimizer.name},
                        {"lr", c.optimizer.lr},
                        {"momentum", c.optimizer.momentum},
                        {"beta1", c.optimizer.beta1},
                        {"beta2", c.optimizer.beta2},
                        {"eps", c.optimizer.eps},
                        {"alpha", c.optimizer.alpha}}},
                      {"weight_decay", c.weight_decay},
                      {"l1", c.l1},
                      {"schedule", c.schedule},
                      {"clip_norm", c.clip_norm},
                      {"clip_value", c.clip_value},
                      {"augment", c.augment},
                      {"batch_size", c.batch_size},
                      {"accumulate_steps", c.accumulate_steps},
                      {"epochs", c.epochs},
                      {"iterations", c.iterations},
                      {"train_size", c.train_size},
                      {"val_split", c.val_split},
                      {"early_stopping", c.early_stopping},
                      {"early_stopping_metric", c.early_stopping_metric},
                      {"min_delta", c.min_delta},
                      {"seed", c.seed},
                      {"threads", c.threads}};
  if (c.split_seed) j["split_seed"] = *c.split_seed;
  if (c.shuffle_seed) j["shuffle_seed"] = *c.shuffle_seed;
  return j;
}

namespace {
template <typename V>
void read(const nlohmann::json& j, const char* key, V& value) {
  if (!j.contains(key)) return;
  try {
    value = j.at(key).get<V>();
  } catch (const nlohmann::json::exception&) {
    throw std::invalid_argument(std::string("the setting '") + key + "' is " + j.at(key).dump() +
                                ", of the wrong type");
  }
}
}  // namespace

TrainConfig train_config_from_json(const nlohmann::json& j) {
  if (!j.is_object()) throw std::invalid_argument("the training settings are not a JSON object");
  TrainConfig c;
  read(j, "model", c.model);
  read(j, "hidden", c.hidden);
  read(j, "activation", c.activation);
  read(j, "dropout", c.dropout);
  read(j, "init", c.init);
  read(j, "loss", c.loss);
  if (j.contains("optimizer")) {
    const nlohmann::json& o = j.at("optimizer");
    if (!o.is_object()) throw std::invalid_argument("the setting 'optimizer' is not an object");
    read(o, "name", c.optimizer.name);
    read(o, "lr", c.optimizer.lr);
    read(o, "momentum", c.optimizer.momentum);
    read(o, "beta1", c.optimizer.beta1);
    read(o, "beta2", c.optimizer.beta2);
    read(o, "eps", c.optimizer.eps);
    read(o, "alpha", c.optimizer.alpha);
  }
  read(j, "weight_decay", c.weight_decay);
  read(j, "l1", c.l1);
  read(j, "schedule", c.schedule);
  read(j, "clip_norm", c.clip_norm);
  read(j, "clip_value", c.clip_value);
  read(j, "augment", c.augment);
  read(j, "batch_size", c.batch_size);
  read(j, "accumulate_steps", c.accumulate_steps);
  read(j, "epochs", c.epochs);
  read(j, "iterations", c.iterations);
  read(j, "train_size", c.train_size);
  read(j, "val_split", c.val_split);
  read(j, "early_stopping", c.early_stopping);
  read(j, "early_stopping_metric", c.early_stopping_metric);
  read(j, "min_delta", c.min_delta);
  read(j, "seed", c.seed);
  for (auto [key, field] : {std::pair{"split_seed", &c.split_seed}, std::pair{"shuffle_seed", &c.shuffle_seed}}) {
    if (!j.contains(key)) continue;
    uint64_t seed = 0;
    read(j, key, seed);
    *field = seed;
  }
  read(j, "threads", c.threads);
  check(c);
  return c;
}

std::vector<std::string> train_args(const TrainConfig& c) {
  const TrainConfig d;
  std::vector<std::string> args;
  auto add = [&](const char* flag, const std::string& value) {
    args.push_back(flag);
    args.push_back(value);
  };
  auto add_text = [&](const char* flag, const std::string& value, const std::string& fallback) {
    if (value != fallback) add(flag, value);
  };
  auto add_number = [&](const char* flag, double value, double fallback) {
    if (value != fallback) add(flag, text(value));
  };
  auto add_integer = [&](const char* flag, int64_t value, int64_t fallback) {
    if (value != fallback) add(flag, std::to_string(value));
  };
  add_text("--model", c.model, d.model);
  if (c.hidden != d.hidden) {
    std::string widths;
    for (int64_t w : c.hidden) widths += (widths.empty() ? "" : ",") + std::to_string(w);
    add("--hidden", widths);
  }
  add_text("--activation", c.activation, d.activation);
  add_number("--dropout", c.dropout, d.dropout);
  add_text("--init", c.init, d.init);
  add_text("--loss", c.loss, d.loss);
  add_text("--optimizer", c.optimizer.name, d.optimizer.name);
  add_number("--lr", c.optimizer.lr, d.optimizer.lr);
  add_number("--momentum", c.optimizer.momentum, d.optimizer.momentum);
  add_number("--beta1", c.optimizer.beta1, d.optimizer.beta1);
  add_number("--beta2", c.optimizer.beta2, d.optimizer.beta2);
  add_number("--eps", c.optimizer.eps, d.optimizer.eps);
  add_number("--alpha", c.optimizer.alpha, d.optimizer.alpha);
  add_number("--weight-decay", c.weight_decay, d.weight_decay);
  add_number("--l1", c.l1, d.l1);
  add_text("--schedule", c.schedule, d.schedule);
  add_number("--clip-norm", c.clip_norm, d.clip_norm);
  add_number("--clip-value", c.clip_value, d.clip_value);
  add_text("--augment", c.augment, d.augment);
  add_integer("--batch-size", c.batch_size, d.batch_size);
  add_integer("--accumulate-steps", c.accumulate_steps, d.accumulate_steps);
  if (c.iterations > 0) {
    add("--iterations", std::to_string(c.iterations));  // it excludes --epochs
  } else {
    add_integer("--epochs", c.epochs, d.epochs);
  }
  add_integer("--train-size", c.train_size, d.train_size);
  add_number("--val-split", c.val_split, d.val_split);
  add_integer("--early-stopping", c.early_stopping, d.early_stopping);
  add_text("--early-stopping-metric", c.early_stopping_metric, d.early_stopping_metric);
  add_number("--min-delta", c.min_delta, d.min_delta);
  if (c.seed != d.seed) add("--seed", std::to_string(c.seed));
  if (c.split_seed) add("--split-seed", std::to_string(*c.split_seed));
  if (c.shuffle_seed) add("--shuffle-seed", std::to_string(*c.shuffle_seed));
  add_integer("--threads", c.threads, d.threads);
  return args;
}

namespace {
std::string shell_quoted(const std::string& word) {
  const bool plain = !word.empty() && word.find_first_not_of(
                                          "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                          "0123456789-_.,:=+/@%") == std::string::npos;
  if (plain) return word;
  std::string quoted = "'";
  for (char ch : word) quoted += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  return quoted + "'";
}
}  // namespace

std::string train_command(const TrainConfig& config) {
  std::string command = "nnlab train";
  for (const std::string& arg : train_args(config)) command += " " + shell_quoted(arg);
  return command;
}

}  // namespace nnlab
