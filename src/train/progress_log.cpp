#include "nnlab/train/progress_log.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace nnlab {

ProgressLog::ProgressLog(std::string path, nlohmann::json settings)
    : path_(std::move(path)), settings_(std::move(settings)) {}

void ProgressLog::append(const nlohmann::json& line) const {
  const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::FILE* file = std::fopen(path_.c_str(), "ab");
  if (file == nullptr) throw std::runtime_error(path_ + ": cannot be written: " + std::strerror(errno));
  const bool written = std::fwrite(text.data(), 1, text.size(), file) == text.size();
  if (std::fclose(file) != 0 || !written) throw std::runtime_error(path_ + ": write failed: " + std::strerror(errno));
}

void ProgressLog::on_train_begin(TrainState& /*state*/) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path_, error);
  if (error || size == 0) append({{"settings", settings_}});
}

void ProgressLog::on_epoch_end(TrainState& /*state*/, const EpochRecord& record) { append(epoch_json(record)); }

void ProgressLog::on_train_end(TrainState& state) { append({{"stop_reason", state.history.stop_reason}}); }

}  // namespace nnlab
