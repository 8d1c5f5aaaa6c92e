#include "nnlab/search/trial.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>

#include "nnlab/io/number_text.h"
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

namespace {

// An integer field, checked: the JSON library would convert 1e30 or 2.5 to int
// without a word (undefined behaviour for 1e30).
int integer_field(const nlohmann::json& json, const char* key, std::optional<int> fallback = std::nullopt) {
  if (!json.contains(key)) {
    if (fallback) return *fallback;
    throw std::runtime_error(std::string("trial record has no ") + key);
  }
  const nlohmann::json& value = json.at(key);
  const bool fits = value.is_number_unsigned()  ? value.get<uint64_t>() <= INT_MAX
                    : value.is_number_integer() ? value.get<int64_t>() >= INT_MIN && value.get<int64_t>() <= INT_MAX
                                                : false;
  if (!fits) throw std::runtime_error(std::string("trial record: ") + key + " must be an integer, got " + value.dump());
  return static_cast<int>(value.get<int64_t>());
}

}  // namespace

TrialRecord TrialRecord::from_json(const nlohmann::json& json, const SearchSpace& space) {
  TrialRecord r;
  r.index = integer_field(json, "trial");
  if (r.index < 0) throw std::runtime_error("trial record: trial must be >= 0, got " + std::to_string(r.index));
  r.plan.point = json.at("point").get<std::vector<double>>();
  if (r.plan.point.size() != space.size()) throw std::runtime_error("trial record does not match the search space");
  // Values come back into the space they were drawn from, or the record is not of this search.
  for (size_t i = 0; i < space.size(); ++i) {
    const Dimension& d = space.dimensions()[i];
    const double v = r.plan.point[i];
    const bool inside = d.is_choice() ? v >= 0 && v < static_cast<double>(d.choices.size()) && v == std::floor(v)
                                      : v >= d.low && v <= d.high;
    if (!inside) {
      throw std::runtime_error("trial record " + std::to_string(r.index) + ": " + d.name + " = " +
                               round_trip_number(v) + " lies outside " + d.str());
    }
  }
  r.plan.epochs = integer_field(json, "epochs");
  r.plan.rung = integer_field(json, "rung", 0);
  r.plan.parent = integer_field(json, "parent", -1);
  r.plan.origin = integer_field(json, "origin", -1);
  r.score = number_or_nan(json.at("score"));
  r.diverged = json.value("diverged", false);
  r.val_accuracy = numbers_from(json.at("val_accuracy"));
  r.val_loss = numbers_from(json.value("val_loss", nlohmann::json::array()));
  r.seconds = json.value("seconds", 0.0);
  r.worker = integer_field(json, "worker", 0);
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
  if (!in) throw std::runtime_error("cannot read " + path + ": " + std::strerror(errno));
  std::string line;
  bool first = true;
  for (int number = 1; std::getline(in, line); ++number) {
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
    try {
      trials.push_back(TrialRecord::from_json(json, space));
    } catch (const std::exception& e) {
      // The JSON library's own errors name neither the file nor the line.
      throw std::runtime_error(path + " line " + std::to_string(number) + ": " + e.what());
    }
  }
  return trials;
}

void append_json_line(const std::string& path, const nlohmann::json& value) {
  const std::string line = value.dump() + "\n";
  auto fail = [&](const std::string& what) {
    return std::runtime_error("cannot " + what + " " + path + ": " + std::strerror(errno));
  };
  // One write() of the whole line with O_APPEND, then fsync: a kill leaves whole
  // lines, or at worst one torn last line that load_trials skips.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) throw fail("open for appending");
  struct stat before {};
  const bool sized = ::fstat(fd, &before) == 0;
  // A short write (a full disk) is followed by one more, to learn errno's reason
  // for it; then the part that was written is cut off again.
  ssize_t written = ::write(fd, line.data(), line.size());
  if (written >= 0 && written < static_cast<ssize_t>(line.size())) {
    const ssize_t more = ::write(fd, line.data() + written, line.size() - static_cast<size_t>(written));
    if (more > 0) written += more;
    if (more == 0) errno = ENOSPC;
  }
  if (written != static_cast<ssize_t>(line.size())) {
    const auto error = fail("write");
    if (sized && ::ftruncate(fd, before.st_size) != 0) {
      // Best effort: load_trials skips a torn line anyway.
    }
    ::close(fd);
    throw error;
  }
  if (::fsync(fd) != 0) {
    const auto error = fail("flush");
    ::close(fd);
    throw error;
  }
  if (::close(fd) != 0) throw fail("flush");
}

}  // namespace nnlab
