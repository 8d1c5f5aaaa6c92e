#include "nnlab/train/history.h"

#include "nnlab/io/csv.h"

namespace nnlab {

nlohmann::json json_number(double value) { return std::isfinite(value) ? nlohmann::json(value) : nullptr; }

std::string History::to_csv() const {
  CsvTable table({"epoch", "steps", "train_loss", "train_accuracy", "val_loss", "val_accuracy", "lr", "seconds"});
  for (const auto& e : epochs) {
    table.add_row({static_cast<long long>(e.epoch), static_cast<long long>(e.steps), e.train_loss, e.train_accuracy,
                   e.val_loss, e.val_accuracy, e.lr, e.seconds});
  }
  return table.str();
}

nlohmann::json epoch_json(const EpochRecord& r) {
  return {{"epoch", r.epoch},
          {"steps", r.steps},
          {"train_loss", json_number(r.train_loss)},
          {"train_accuracy", json_number(r.train_accuracy)},
          {"val_loss", json_number(r.val_loss)},
          {"val_accuracy", json_number(r.val_accuracy)},
          {"lr", json_number(r.lr)},
          {"seconds", r.seconds}};
}

nlohmann::json History::to_json() const {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& e : epochs) rows.push_back(epoch_json(e));
  nlohmann::json losses = nlohmann::json::array();
  for (float l : step_loss) losses.push_back(json_number(l));
  return {{"epochs", rows},
          {"step_loss", losses},
          {"stop_reason", stop_reason},
          {"early_stopping_metric", monitor},
          {"best_epoch", best_epoch},
          {"best_value", json_number(best_value)},
          {"stopped_epoch", stopped_epoch},
          {"restored", restored}};
}

namespace {

// The EpochRecord fields by name, each an array over the epochs in the state dict.
const std::vector<std::pair<const char*, int64_t EpochRecord::*>> kIntegerFields = {
    {"epochs.steps", &EpochRecord::steps}};
const std::vector<std::pair<const char*, double EpochRecord::*>> kRealFields = {
    {"epochs.train_loss", &EpochRecord::train_loss},
    {"epochs.train_accuracy", &EpochRecord::train_accuracy},
    {"epochs.val_loss", &EpochRecord::val_loss},
    {"epochs.val_accuracy", &EpochRecord::val_accuracy},
    {"epochs.lr", &EpochRecord::lr},
    {"epochs.seconds", &EpochRecord::seconds}};

}  // namespace

StateDict History::state_dict() const {
  StateDict state;
  std::vector<int64_t> numbers;
  for (const auto& e : epochs) numbers.push_back(e.epoch);
  state.put_ints("epochs.epoch", numbers);
  for (const auto& [name, field] : kIntegerFields) {
    std::vector<int64_t> values;
    for (const auto& e : epochs) values.push_back(e.*field);
    state.put_ints(name, std::move(values));
  }
  for (const auto& [name, field] : kRealFields) {
    std::vector<double> values;
    for (const auto& e : epochs) values.push_back(e.*field);
    state.put_doubles(name, std::move(values));
  }
  state.put_floats("step_loss", step_loss);
  state.put_bytes("stop_reason", stop_reason);
  state.put_bytes("monitor", monitor);
  state.put_int("best_epoch", best_epoch);
  state.put_double("best_value", best_value);
  state.put_int("stopped_epoch", stopped_epoch);
  state.put_int("restored", restored);
  return state;
}

void History::load_state_dict(const StateDict& state) {
  try {
    std::vector<std::string> expected = {"epochs.epoch", "step_loss",  "stop_reason",   "monitor",
                                         "best_epoch",   "best_value", "stopped_epoch", "restored"};
    for (const auto& [name, field] : kIntegerFields) expected.emplace_back(name);
    for (const auto& [name, field] : kRealFields) expected.emplace_back(name);
    state.require_names(expected, "the state dict");
    const std::vector<int64_t> numbers = state.get_ints("epochs.epoch");
    std::vector<EpochRecord> records(numbers.size());
    const auto same_length = [&](const char* name, size_t length) {
      if (length != records.size()) {
        throw std::runtime_error("entry '" + std::string(name) + "' has " + std::to_string(length) +
                                 " values, 'epochs.epoch' " + std::to_string(records.size()));
      }
    };
    for (size_t i = 0; i < records.size(); ++i) records[i].epoch = static_cast<int>(numbers[i]);
    for (const auto& [name, field] : kIntegerFields) {
      const std::vector<int64_t> values = state.get_ints(name);
      same_length(name, values.size());
      for (size_t i = 0; i < records.size(); ++i) records[i].*field = values[i];
    }
    for (const auto& [name, field] : kRealFields) {
      const std::vector<double> values = state.get_doubles(name);
      same_length(name, values.size());
      for (size_t i = 0; i < records.size(); ++i) records[i].*field = values[i];
    }
    History loaded;
    loaded.epochs = std::move(records);
    loaded.step_loss = state.get_floats("step_loss");
    loaded.stop_reason = state.get_bytes("stop_reason");
    loaded.monitor = state.get_bytes("monitor");
    loaded.best_epoch = static_cast<int>(state.get_int("best_epoch"));
    loaded.best_value = state.get_double("best_value");
    loaded.stopped_epoch = static_cast<int>(state.get_int("stopped_epoch"));
    loaded.restored = state.get_int("restored") != 0;
    *this = std::move(loaded);
  } catch (const std::runtime_error& error) {
    throw std::runtime_error("history: cannot load the state: " + std::string(error.what()));
  }
}

}  // namespace nnlab
