#include "nnlab/search/trial.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "nnlab/train/history.h"

namespace nnlab {

namespace {

double number_or_nan(const nlohmann::json& value) { return value.is_number() ? value.get<double>() : NAN; }

nlohmann::json numbers(const std::vector<double>& values) {
  nlohmann::json array = nlohmann::json::array();
  for (double v : values) array.push_back(json_number(v));
  return array;
}

std::vector<double> numbers_from(const nlohmann::json& array) {
  std::vector<double> values;
  for (const auto& v : array) values.push_back(number_or_nan(v));
  return values;
}

}  // namespace

nlohmann::json TrialRecord::to_json(const SearchSpace& space) const {
  nlohmann::json params = nlohmann::json::object();
  for (size_t i = 0; i < space.size(); ++i) {
    const Dimension& d = space.dimensions()[i];
    if (d.is_choice()) {
      params[d.name] = d.format(plan.point.at(i));
    } else {
      params[d.name] = plan.point.at(i);
    }
  }
  return {{"trial", index},
          {"params", params},
          {"point", plan.point},
          {"epochs", plan.epochs},
          {"rung", plan.rung},
          {"parent", plan.parent},
          {"origin", plan.origin},
          {"score", json_number(score)},
          {"diverged", diverged},
          {"val_accuracy", numbers(val_accuracy)},
          {"val_loss", numbers(val_loss)},
          {"seconds", seconds},
          {"worker", worker}};
}

TrialRecord TrialRecord::from_json(const nlohmann::json& json, const SearchSpace& space) {
  TrialRecord r;
  r.index = json.at("trial").get<int>();
  r.plan.point = json.at("point").get<std::vector<double>>();
  if (r.plan.point.size() != space.size()) throw std::runtime_error("trial record does not match the search space");
  r.plan.epochs = json.at("epochs").get<int>();
  r.plan.rung = json.value("rung", 0);
  r.plan.parent = json.value("parent", -1);
  r.plan.origin = json.value("origin", -1);
  r.score = number_or_nan(json.at("score"));
  r.diverged = json.value("diverged", false);
  r.val_accuracy = numbers_from(json.at("val_accuracy"));
  r.val_loss = numbers_from(json.value("val_loss", nlohmann::json::array()));
  r.seconds = json.value("seconds", 0.0);
  r.worker = json.value("worker", 0);
  return r;
}

std::vector<TrialRecord> ranked(std::vector<TrialRecord> trials) {
  std::stable_sort(trials.begin(), trials.end(), [](const TrialRecord& a, const TrialRecord& b) {
    const bool a_ok = std::isfinite(a.score);
    const bool b_ok = std::isfinite(b.score);
    if (a_ok != b_ok) return a_ok;
    if (a_ok && a.score != b.score) return a.score > b.score;
    return a.index < b.index;
  });
  return trials;
}

std::vector<TrialRecord> load_trials(const std::string& path, const nlohmann::json& header, const SearchSpace& space) {
  std::vector<TrialRecord> trials;
  if (!std::filesystem::exists(path)) return trials;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::string line;
  bool first = true;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    nlohmann::json json = nlohmann::json::parse(line, nullptr, false);
    if (json.is_discarded()) continue;  // a line torn by a kill mid-write
    if (first) {
      first = false;
      if (!json.contains("search") || json.at("search") != header) {
        throw std::runtime_error(
            path + " holds a search with other settings; resume with the same flags or use another --out");
      }
      continue;
    }
    trials.push_back(TrialRecord::from_json(json, space));
  }
  return trials;
}

void append_json_line(const std::string& path, const nlohmann::json& value) {
  const std::string line = value.dump() + "\n";
  // One write() of the whole line with O_APPEND, then fsync: a kill leaves whole
  // lines, or at worst one torn last line that load_trials skips.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (fd < 0) throw std::runtime_error("cannot write " + path);
  const ssize_t written = ::write(fd, line.data(), line.size());
  ::fsync(fd);
  ::close(fd);
  if (written != static_cast<ssize_t>(line.size())) throw std::runtime_error("cannot write " + path);
}

}  // namespace nnlab
