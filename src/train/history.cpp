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

nlohmann::json History::to_json() const {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& e : epochs) {
    rows.push_back({{"epoch", e.epoch},
                    {"steps", e.steps},
                    {"train_loss", json_number(e.train_loss)},
                    {"train_accuracy", json_number(e.train_accuracy)},
                    {"val_loss", json_number(e.val_loss)},
                    {"val_accuracy", json_number(e.val_accuracy)},
                    {"lr", json_number(e.lr)},
                    {"seconds", e.seconds}});
  }
  nlohmann::json losses = nlohmann::json::array();
  for (float l : step_loss) losses.push_back(json_number(l));
  return {{"epochs", rows},
          {"step_loss", losses},
          {"stop_reason", stop_reason},
          {"monitor", monitor},
          {"best_epoch", best_epoch},
          {"best_value", json_number(best_value)},
          {"stopped_epoch", stopped_epoch},
          {"restored", restored}};
}

}  // namespace nnlab
