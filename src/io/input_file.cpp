#include "nnlab/io/input_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace nnlab {

std::runtime_error io_error(const std::string& what, const std::string& path) {
  return std::runtime_error("cannot " + what + " " + path + ": " + std::strerror(errno));
}

InputFile::InputFile(const std::string& path) : path_(path) {
  // O_NONBLOCK: opening a FIFO would otherwise wait for a writer before fstat
  // could tell that it is not a regular file. It changes nothing for regular files.
  fd_ = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd_ < 0) throw io_error("open", path);
  struct stat info {};
  if (::fstat(fd_, &info) != 0) {
    const auto error = io_error("read", path);
    ::close(fd_);
    throw error;
  }
  if (!S_ISREG(info.st_mode)) {
    ::close(fd_);
    throw std::runtime_error("cannot read " + path + ": " +
                             (S_ISDIR(info.st_mode) ? "it is a folder" : "not a regular file (a device or a pipe)"));
  }
  size_ = static_cast<uint64_t>(info.st_size);
}

InputFile::~InputFile() {
  if (fd_ >= 0) ::close(fd_);
}

std::string InputFile::read(uint64_t offset, uint64_t count) const {
  if (offset > size_ || count > size_ - offset) {
    throw std::runtime_error("cannot read " + path_ + ": bytes " + std::to_string(offset) + " to " +
                             std::to_string(offset + count) + " lie past its end (" + std::to_string(size_) +
                             " bytes)");
  }
  std::string bytes(static_cast<size_t>(count), '\0');
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t got = ::pread(fd_, bytes.data() + done, bytes.size() - done, static_cast<off_t>(offset + done));
    if (got < 0) {
      if (errno == EINTR) continue;
      throw io_error("read", path_);
    }
    if (got == 0) {
      throw std::runtime_error("cannot read " + path_ + ": it shrank while being read (" + std::to_string(count) +
                               " bytes expected from offset " + std::to_string(offset) + ", found " +
                               std::to_string(done) + ")");
    }
    done += static_cast<size_t>(got);
  }
  return bytes;
}

std::string read_file(const std::string& path, uint64_t max_bytes) {
  const InputFile file(path);
  if (file.size() > max_bytes) {
    throw std::runtime_error("cannot read " + path + ": " + std::to_string(file.size()) + " bytes, over the limit of " +
                             std::to_string(max_bytes));
  }
  return file.read(0, file.size());
}

}  // namespace nnlab
