#include "train_settings.h"

#include "commands.h"

namespace nnlab::cli {

nlohmann::json train_settings_json(const TrainSettings& s) {
  return {{"model", s.model},
          {"hidden", s.hidden},
          {"activation", s.activation},
          {"init", s.init},
          {"optimizer",
           {{"name", s.optimizer.name},
            {"lr", s.optimizer.lr},
            {"momentum", s.optimizer.momentum},
            {"beta1", s.optimizer.beta1},
            {"beta2", s.optimizer.beta2},
            {"eps", s.optimizer.eps},
            {"alpha", s.optimizer.alpha}}},
          {"weight_decay", s.weight_decay},
          {"l1", s.l1},
          {"schedule", s.schedule},
          {"clip_norm", s.clip_norm},
          {"clip_value", s.clip_value},
          {"augment", s.augment},
          {"batch_size", s.batch_size},
          {"epochs", s.epochs},
          {"iterations", s.iterations},
          {"seed", s.seed},
          {"threads", s.threads},
          {"val_split", s.val_split},
          {"early_stopping", s.early_stopping},
          {"early_stopping_metric", s.early_stopping_metric},
          {"min_delta", s.min_delta},
          {"data", s.data},
          {"out", s.out},
          {"save", s.save},
          {"progress", s.progress},
          {"monitor", s.monitor},
          {"monitor_every", s.monitor_every},
          {"checkpoint_every", s.checkpoint_every}};
}

namespace {
template <typename V>
void read(const nlohmann::json& j, const char* key, V& value) {
  if (!j.contains(key)) throw UsageError(std::string("the saved settings lack '") + key + "'");
  try {
    value = j.at(key).get<V>();
  } catch (const nlohmann::json::exception&) {
    throw UsageError(std::string("the saved setting '") + key + "' is " + j.at(key).dump() + ", of the wrong type");
  }
}
}  // namespace

TrainSettings train_settings_from_json(const nlohmann::json& j) {
  if (!j.is_object()) throw UsageError("the saved settings are not a JSON object");
  TrainSettings s;
  read(j, "model", s.model);
  read(j, "hidden", s.hidden);
  read(j, "activation", s.activation);
  read(j, "init", s.init);
  if (!j.contains("optimizer") || !j.at("optimizer").is_object())
    throw UsageError("the saved settings lack 'optimizer'");
  const nlohmann::json& o = j.at("optimizer");
  read(o, "name", s.optimizer.name);
  read(o, "lr", s.optimizer.lr);
  read(o, "momentum", s.optimizer.momentum);
  read(o, "beta1", s.optimizer.beta1);
  read(o, "beta2", s.optimizer.beta2);
  read(o, "eps", s.optimizer.eps);
  read(o, "alpha", s.optimizer.alpha);
  read(j, "weight_decay", s.weight_decay);
  read(j, "l1", s.l1);
  read(j, "schedule", s.schedule);
  read(j, "clip_norm", s.clip_norm);
  read(j, "clip_value", s.clip_value);
  read(j, "augment", s.augment);
  read(j, "batch_size", s.batch_size);
  read(j, "epochs", s.epochs);
  read(j, "iterations", s.iterations);
  read(j, "seed", s.seed);
  read(j, "threads", s.threads);
  read(j, "val_split", s.val_split);
  read(j, "early_stopping", s.early_stopping);
  read(j, "early_stopping_metric", s.early_stopping_metric);
  read(j, "min_delta", s.min_delta);
  read(j, "data", s.data);
  read(j, "out", s.out);
  read(j, "save", s.save);
  read(j, "progress", s.progress);
  read(j, "monitor", s.monitor);
  read(j, "monitor_every", s.monitor_every);
  read(j, "checkpoint_every", s.checkpoint_every);
  return s;
}

}  // namespace nnlab::cli
