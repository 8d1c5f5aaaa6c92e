#include "train_flags.h"

#include <algorithm>

#include "commands.h"
#include "nnlab/io/number_text.h"
#include "nnlab/model/model_spec.h"
#include "nnlab/optim/factory.h"

namespace nnlab::cli {

void add_train_config_flags(CLI::App& app, TrainConfig& c) {
  app.add_option("--model", c.model,
                 "Model spec, e.g. \"linear:256,relu,linear:10\" or \"conv:32x3x3:pad=1,relu,maxpool:2,linear:10\", "
                 "or a preset: " +
                     preset_names() + " (see docs/model-spec.md); overrides --hidden, --activation and --dropout");
  app.add_option("--hidden", c.hidden, "Hidden layer sizes of the multilayer network")
      ->delimiter(',')
      ->check(positive_integer())
      ->capture_default_str();
  app.add_option("--activation", c.activation, "Hidden activation: relu, sigmoid, tanh, identity, step")
      ->capture_default_str();
  app.add_option("--dropout", c.dropout,
                 "Dropout rate after each hidden activation of the multilayer network (0: none)")
      ->capture_default_str();
  app.add_option("--init", c.init,
                 "Weight initialiser: auto (he-normal for relu, xavier-normal otherwise), zero, constant:V, "
                 "normal:STD, xavier-normal, xavier-uniform, he-normal, he-uniform, lecun-normal")
      ->capture_default_str();
  app.add_option("--loss", c.loss,
                 "Loss: auto (cross-entropy for classes, mse for values), cross-entropy, mse, mae, huber[:DELTA]")
      ->capture_default_str();
  app.add_option(
         "--optimizer", c.optimizer.name,
         "Optimizer: " +
             [] {
               std::string names;
               for (const auto& n : optimizer_names()) names += (names.empty() ? "" : ", ") + n;
               return names;
             }())
      ->capture_default_str();
  app.add_option("--lr", c.optimizer.lr,
                 "Learning rate (the base rate of the --schedule); default by optimizer: sgd 0.1, momentum and "
                 "nesterov 0.05, adagrad 0.01, rmsprop, adam and adamw 0.001")
      ->check(positive_number());
  app.add_option("--momentum", c.optimizer.momentum, "Momentum μ for momentum and nesterov")->capture_default_str();
  app.add_option("--beta1", c.optimizer.beta1, "Adam's β1 (adam, adamw)")->capture_default_str();
  app.add_option("--beta2", c.optimizer.beta2, "Adam's β2 (adam, adamw)")->capture_default_str();
  app.add_option("--alpha", c.optimizer.alpha, "RMSProp's decay rate α")->capture_default_str();
  app.add_option("--eps", c.optimizer.eps,
                 "ε of adagrad, rmsprop, adam, adamw (default: the optimizer's own, 1e-10 for adagrad, 1e-8 for the "
                 "others, as in PyTorch)")
      ->check(positive_number());
  app.add_option("--weight-decay", c.weight_decay,
                 "L2 weight decay λ: penalty ½λΣw² on weights, not biases (decoupled for adamw)")
      ->capture_default_str();
  app.add_option("--l1", c.l1, "L1 weight decay λ: penalty λΣ|w| on weights, not biases")->capture_default_str();
  app.add_option("--schedule", c.schedule,
                 "Learning-rate schedule: constant, step:STEPS:GAMMA, exp:GAMMA, cosine[:MIN_LR], warmup:STEPS, "
                 "warmup:STEPS+cosine (steps are optimizer steps)")
      ->capture_default_str();
  app.add_option("--clip-norm", c.clip_norm, "Clip gradients to this global L2 norm (0: off)")->capture_default_str();
  app.add_option("--clip-value", c.clip_value, "Clip each gradient value to ±this (0: off)")->capture_default_str();
  app.add_option("--augment", c.augment,
                 "Data augmentation of training batches: none, shift:N (each image moved by up to N pixels across "
                 "and down, anew each time it is drawn), auto (shift:2 for a model with convolutions, none otherwise)")
      ->capture_default_str();
  app.add_option("--batch-size", c.batch_size,
                 "Mini-batch size; 1 is online learning, the training-set size (or more) full-batch")
      ->check(positive_integer())
      ->capture_default_str();
  app.add_option("--accumulate-steps", c.accumulate_steps,
                 "Batches whose gradients are summed into one optimizer step (gradient accumulation): one step of a "
                 "batch N times larger, in the memory of one batch")
      ->check(positive_integer())
      ->capture_default_str();
  auto* epochs = app.add_option("--epochs", c.epochs, "Passes over the training data")
                     ->check(positive_integer())
                     ->capture_default_str();
  app.add_option("--iterations", c.iterations, "Train this many optimizer steps instead of --epochs")
      ->check(positive_integer())
      ->excludes(epochs);
  app.add_option("--train-size", c.train_size, "Train on the first N training samples only (0: all)")
      ->check(non_negative_integer())
      ->capture_default_str();
  app.add_option("--val-split", c.val_split, "Share of the training data held out for validation (never test data)")
      ->capture_default_str();
  app.add_option(
         "--early-stopping", c.early_stopping,
         "Patience: stop after this many epochs without improvement of the validation metric and restore the best "
         "epoch's weights (0: off; needs --val-split above 0)")
      ->capture_default_str();
  app.add_option("--early-stopping-metric", c.early_stopping_metric,
                 "What early stopping watches: val_loss (minimised) or val_accuracy (maximised)")
      ->check(CLI::IsMember({"val_loss", "val_accuracy"}))
      ->capture_default_str();
  app.add_option("--min-delta", c.min_delta,
                 "The smallest change of the early-stopping metric that counts as an improvement")
      ->capture_default_str();
  app.add_option("--seed", c.seed, "Random seed: the same seed gives the same run")->capture_default_str();
  app.add_option("--split-seed", c.split_seed,
                 "Seed of the validation split alone (default: the split comes from --seed's generator)");
  app.add_option("--shuffle-seed", c.shuffle_seed,
                 "Seed of the batches' order and augmentation alone (default: from --seed's generator)");
  app.add_option("--threads", c.threads, "Threads for everything (default: all cores; at most the cores)")
      ->check(positive_integer());
}

std::set<std::string> given_flags(const CLI::App& app) {
  std::set<std::string> given;
  for (const CLI::Option* option : app.get_options()) {
    if (option->count() > 0) given.insert(option->get_name());
  }
  return given;
}

namespace {
std::string widths_text(const std::vector<int64_t>& widths) {
  std::string text;
  for (int64_t w : widths) text += (text.empty() ? "" : ",") + std::to_string(w);
  return text;
}

// The hinted flags and the config's values for them.
std::vector<std::pair<std::string, std::string>> hinted(const TrainConfig& c, const TrainingHints& hints) {
  std::vector<std::pair<std::string, std::string>> flags;
  if (c.model.empty() && hints.hidden) flags.emplace_back("--hidden", widths_text(c.hidden));
  if (c.model.empty() && hints.dropout) flags.emplace_back("--dropout", round_trip_number(c.dropout));
  if (hints.lr && c.optimizer.lr > 0) flags.emplace_back("--lr", round_trip_number(c.optimizer.lr));
  if (hints.batch_size) flags.emplace_back("--batch-size", std::to_string(c.batch_size));
  if (c.iterations == 0 && hints.epochs) flags.emplace_back("--epochs", std::to_string(c.epochs));
  if (hints.augment) flags.emplace_back("--augment", c.augment);
  return flags;
}
}  // namespace

std::string apply_data_hints(TrainConfig& c, const TrainingHints& hints, const std::set<std::string>& given) {
  if (c.model.empty()) {
    if (hints.hidden && !given.count("--hidden")) c.hidden = *hints.hidden;
    if (hints.dropout && !given.count("--dropout")) c.dropout = *hints.dropout;
  }
  if (hints.lr && !given.count("--lr") && !given.count("--optimizer")) c.optimizer.lr = *hints.lr;
  if (hints.batch_size && !given.count("--batch-size")) c.batch_size = *hints.batch_size;
  if (c.iterations == 0 && hints.epochs && !given.count("--epochs")) c.epochs = *hints.epochs;
  if (hints.augment && !given.count("--augment")) c.augment = *hints.augment;
  std::string applied;
  for (const auto& [flag, value] : hinted(c, hints)) {
    if (!given.count(flag)) applied += " " + flag + " " + value;
  }
  try {
    check(c);
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  return applied;
}

std::string train_command_for_data(const TrainConfig& c, const std::string& data, const TrainingHints& hints) {
  std::string command = train_command(c);
  const std::vector<std::string> args = train_args(c);
  for (const auto& [flag, value] : hinted(c, hints)) {
    if (std::find(args.begin(), args.end(), flag) == args.end()) command += " " + flag + " " + value;
  }
  return data.empty() ? command : command + " --data " + data;
}

}  // namespace nnlab::cli
