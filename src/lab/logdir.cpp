#include "nnlab/lab/logdir.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "nnlab/train/progress_log.h"

namespace nnlab::lab {

namespace fs = std::filesystem;

namespace {

constexpr int64_t kMaxRead = 8 << 20;  // bytes of progress one answer carries

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path.string() + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The lines of a JSON Lines text that parse (a torn last line is left out).
std::vector<nlohmann::json> json_lines(const std::string& text) {
  std::vector<nlohmann::json> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!j.is_discarded()) lines.push_back(std::move(j));
  }
  return lines;
}

int64_t seconds_since(fs::file_time_type time) {
  return std::chrono::duration_cast<std::chrono::seconds>(fs::file_time_type::clock::now() - time).count();
}

nlohmann::json describe_run(const fs::path& folder) {
  nlohmann::json run = {{"name", folder.filename().string()}, {"live", false}};
  const fs::path history = folder / "history.json", progress = folder / "progress.jsonl";
  fs::file_time_type modified{};
  if (fs::exists(history)) {
    modified = fs::last_write_time(history);
    const nlohmann::json h = nlohmann::json::parse(read_text(history));
    run["settings"] = h.value("settings", nlohmann::json::object());
    const nlohmann::json epochs = h.value("epochs", nlohmann::json::array());
    run["epochs"] = epochs.size();
    run["last"] = epochs.empty() ? nlohmann::json() : epochs.back();
    run["test"] = h.value("test", nlohmann::json());
    run["stop_reason"] = h.value("stop_reason", "");
  } else {
    modified = fs::last_write_time(progress);
    int64_t epochs = 0;
    for (const nlohmann::json& line : json_lines(read_text(progress))) {
      if (line.contains("settings")) run["settings"] = line["settings"];
      if (line.contains("epoch")) run["last"] = line, ++epochs;
      if (line.contains("stop_reason")) run["stop_reason"] = line["stop_reason"];
    }
    run["epochs"] = epochs;
    run["live"] = !run.contains("stop_reason") && seconds_since(modified) < 120;
  }
  run["modified"] = seconds_since(modified);
  return run;
}

}  // namespace

nlohmann::json list_logdir(const std::string& logdir) {
  nlohmann::json runs = nlohmann::json::array();
  std::error_code error;
  if (logdir.empty() || !fs::is_directory(logdir, error)) return runs;
  for (const fs::directory_entry& entry : fs::directory_iterator(logdir, error)) {
    if (!entry.is_directory(error)) continue;
    if (!fs::exists(entry.path() / "history.json") && !fs::exists(entry.path() / "progress.jsonl")) continue;
    try {
      runs.push_back(describe_run(entry.path()));
    } catch (const std::exception& e) {
      runs.push_back({{"name", entry.path().filename().string()}, {"error", e.what()}, {"modified", 0}});
    }
  }
  std::sort(runs.begin(), runs.end(),
            [](const nlohmann::json& a, const nlohmann::json& b) { return a["modified"] < b["modified"]; });
  return runs;
}

nlohmann::json read_progress(const std::string& logdir, const std::string& name, int64_t offset) {
  if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos ||
      name.find('\\') != std::string::npos) {
    throw std::invalid_argument("name: must be a folder of the log folder, got '" + name + "'");
  }
  if (offset < 0) throw std::invalid_argument("offset: must be 0 or more, got " + std::to_string(offset));
  const fs::path folder = fs::path(logdir) / name;
  const fs::path progress = folder / "progress.jsonl";
  if (fs::exists(progress)) {
    std::ifstream in(progress, std::ios::binary);
    in.seekg(0, std::ios::end);
    const int64_t size = in.tellg();
    if (offset > size) offset = 0;  // the file was started again
    const int64_t length = std::min(size - offset, kMaxRead);
    std::string text(static_cast<size_t>(length), '\0');
    in.seekg(offset);
    in.read(text.data(), length);
    const size_t end = text.rfind('\n');  // complete lines only
    text.resize(end == std::string::npos ? 0 : end + 1);
    return {{"lines", json_lines(text)},
            {"offset", offset + static_cast<int64_t>(text.size())},
            {"complete", fs::exists(folder / "history.json")}};
  }
  if (fs::exists(folder / "history.json")) {
    const nlohmann::json h = nlohmann::json::parse(read_text(folder / "history.json"));
    nlohmann::json lines = nlohmann::json::array();
    lines.push_back({{"settings", h.value("settings", nlohmann::json::object())}});
    for (const nlohmann::json& e : h.value("epochs", nlohmann::json::array())) lines.push_back(e);
    return {{"lines", lines}, {"offset", -1}, {"complete", true}};
  }
  throw std::invalid_argument("name: " + name + " holds no run (no history.json, no progress.jsonl)");
}

}  // namespace nnlab::lab
