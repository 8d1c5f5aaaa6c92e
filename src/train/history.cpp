#include "nnlab/train/history.h"

#include <sstream>

namespace nnlab {

nlohmann::json json_number(double value) { return std::isfinite(value) ? nlohmann::json(value) : nullptr; }

std::string History::to_csv() const {
  std::ostringstream out;
  out.precision(8);
  auto cell = [&](double v) -> std::ostringstream& {
    if (std::isfinite(v)) out << v;
    return out;
  };
  out << "epoch,steps,train_loss,train_accuracy,val_loss,val_accuracy,lr,seconds\n";
  for (const auto& e : epochs) {
    out << e.epoch << ',' << e.steps << ',';
    cell(e.train_loss) << ',';
    cell(e.train_accuracy) << ',';
    cell(e.val_loss) << ',';
    cell(e.val_accuracy) << ',';
    cell(e.lr) << ',';
    cell(e.seconds) << '\n';
  }
  return out.str();
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
  return {{"epochs", rows}, {"step_loss", losses}, {"stop_reason", stop_reason}};
}

}  // namespace nnlab
