#include "train_settings.h"

#include "commands.h"

namespace nnlab::cli {

nlohmann::json train_settings_json(const TrainSettings& s) {
  nlohmann::json j = to_json(s.config);
  j["data"] = s.data;
  j["target"] = s.table.target;
  j["task"] = s.table.task;
  j["test_split"] = s.table.test_split;
  j["stream"] = s.table.stream;
  j["image_size"] = s.image_size;
  j["channels"] = s.images.channels;
  j["out"] = s.out;
  j["save"] = s.save;
  j["progress"] = s.progress;
  j["monitor"] = s.monitor;
  j["monitor_every"] = s.monitor_every;
  j["checkpoint_every"] = s.checkpoint_every;
  if (s.sync_batchnorm) j["sync_batchnorm"] = true;  // only when set: the settings of other runs stay as they were
  return j;
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
  try {
    s.config = train_config_from_json(j);
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("the saved settings: ") + e.what());
  }
  read(j, "data", s.data);
  // Settings saved before nnlab read tables lack these three.
  if (j.contains("target")) read(j, "target", s.table.target);
  if (j.contains("task")) read(j, "task", s.table.task);
  if (j.contains("test_split")) read(j, "test_split", s.table.test_split);
  if (j.contains("stream")) read(j, "stream", s.table.stream);
  if (j.contains("image_size")) read(j, "image_size", s.image_size);
  if (j.contains("channels")) read(j, "channels", s.images.channels);
  read(j, "out", s.out);
  read(j, "save", s.save);
  read(j, "progress", s.progress);
  read(j, "monitor", s.monitor);
  read(j, "monitor_every", s.monitor_every);
  read(j, "checkpoint_every", s.checkpoint_every);
  if (j.contains("sync_batchnorm")) read(j, "sync_batchnorm", s.sync_batchnorm);
  return s;
}

}  // namespace nnlab::cli
