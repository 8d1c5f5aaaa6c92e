#include "nnlab/lab/run_settings.h"

#include <cmath>
#include <stdexcept>

namespace nnlab::lab {

namespace {

constexpr int64_t kMaxPoints = 100000;

template <typename T>
void read_field(const nlohmann::json& j, const char* key, T& value, const char* what) {
  if (!j.contains(key)) return;
  try {
    value = j.at(key).get<T>();
  } catch (const nlohmann::json::exception&) {
    throw std::invalid_argument(std::string(key) + ": must be " + what + ", got " + j.at(key).dump());
  }
}

}  // namespace

TrainConfig lab_default_config() {
  TrainConfig c;
  c.hidden = {16, 16};
  c.activation = "tanh";
  c.optimizer = {"adam", 0.03, {}};
  c.schedule = "constant";
  c.batch_size = 16;
  c.epochs = 200;
  c.val_split = 0.2;
  c.threads = 1;
  return c;
}

nlohmann::json lab_defaults_json() {
  RunSettings defaults;
  defaults.config = lab_default_config();
  return to_json(defaults);
}

RunSettings run_settings_from_json(const nlohmann::json& j) {
  if (!j.is_object()) throw std::invalid_argument("the run's settings must be a JSON object, got " + j.dump());
  RunSettings s;
  read_field(j, "name", s.name, "a text");
  read_field(j, "data", s.data, "a text");
  read_field(j, "points", s.points, "an integer");
  read_field(j, "noise", s.noise, "a number");
  read_field(j, "batchnorm", s.batchnorm, "true or false");
  read_field(j, "residual", s.residual, "true or false");
  read_field(j, "pace", s.pace, "a number");
  if (s.data.empty()) throw std::invalid_argument("data: must name a dataset, got \"\"");
  if (s.points < 8 || s.points > kMaxPoints) {
    throw std::invalid_argument("points: must be from 8 to " + std::to_string(kMaxPoints) + ", got " +
                                std::to_string(s.points));
  }
  if (!std::isfinite(s.noise) || s.noise < 0 || s.noise > 2) {
    throw std::invalid_argument("noise: must be from 0 to 2, got " + std::to_string(s.noise));
  }
  if (!std::isfinite(s.pace) || s.pace < 0) {
    throw std::invalid_argument("pace: must be 0 (full speed) or a number of steps per second, got " +
                                std::to_string(s.pace));
  }
  nlohmann::json config = to_json(lab_default_config());
  if (j.contains("config")) {
    if (!j.at("config").is_object())
      throw std::invalid_argument("config: must be an object, got " + j.at("config").dump());
    config.merge_patch(j.at("config"));
  }
  s.config = train_config_from_json(config);
  return s;
}

nlohmann::json to_json(const RunSettings& s) {
  return {{"name", s.name},           {"data", s.data},         {"points", s.points}, {"noise", s.noise},
          {"batchnorm", s.batchnorm}, {"residual", s.residual}, {"pace", s.pace},     {"config", to_json(s.config)}};
}

std::string lab_model_spec(const RunSettings& s, int64_t outputs) {
  if (!s.config.model.empty() || (!s.batchnorm && !s.residual)) return "";
  const std::string norm = s.batchnorm ? ",batchnorm" : "";
  const std::string drop = s.config.dropout > 0 ? ",dropout:" + std::to_string(s.config.dropout) : "";
  std::string spec;
  for (size_t i = 0; i < s.config.hidden.size(); ++i) {
    const std::string width = "linear:" + std::to_string(s.config.hidden[i]);
    if (s.residual && i > 0) {
      // A block of two layers whose input is added to its output (a projection where the widths differ).
      spec += "res(" + width + norm + "," + s.config.activation + "," + width + norm + ")," + s.config.activation +
              drop + ",";
    } else {
      spec += width + norm + "," + s.config.activation + drop + ",";
    }
  }
  return spec + "linear:" + std::to_string(outputs);
}

}  // namespace nnlab::lab
