#include "nnlab/io/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace nnlab {

namespace {
std::runtime_error io_error(const std::string& what, const std::string& path) {
  return std::runtime_error("cannot " + what + " " + path + ": " + std::strerror(errno));
}
}  // namespace

void write_file_atomic(const std::string& path, std::string_view contents) {
  const std::filesystem::path target(path);
  if (target.has_parent_path() && !std::filesystem::is_directory(target.parent_path())) {
    throw std::runtime_error("cannot write " + path + ": folder " + target.parent_path().string() +
                             " does not exist");
  }
  std::string temp = path + ".tmp.XXXXXX";
  const int fd = mkstemp(temp.data());
  if (fd < 0) throw io_error("create a temporary file for", path);
  const char* data = contents.data();
  size_t left = contents.size();
  while (left > 0) {
    const ssize_t written = ::write(fd, data, left);
    if (written < 0) {
      if (errno == EINTR) continue;
      const auto error = io_error("write", path);
      ::close(fd);
      ::unlink(temp.c_str());
      throw error;
    }
    data += written;
    left -= static_cast<size_t>(written);
  }
  // mkstemp creates 0600; give the file the usual permissions.
  ::fchmod(fd, 0644);
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const auto error = io_error("flush", path);
    ::unlink(temp.c_str());
    throw error;
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    const auto error = io_error("rename the temporary file onto", path);
    ::unlink(temp.c_str());
    throw error;
  }
}

void make_folders(const std::string& path) {
  std::error_code error;
  std::filesystem::create_directories(path, error);
  if (error || !std::filesystem::is_directory(path)) {
    throw std::runtime_error("cannot create folder " + path + (error ? ": " + error.message() : ""));
  }
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw io_error("open", path);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw io_error("read", path);
  return buffer.str();
}

}  // namespace nnlab
