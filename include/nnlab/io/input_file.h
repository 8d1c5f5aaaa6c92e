#pragma once
// Files read with their size known before a byte is read, so that what a file
// claims about itself (a header length, a count) can be checked against what is
// really there. Only regular files: a device such as /dev/zero reads without end,
// a FIFO blocks, a folder is no file.
//
//   InputFile file(path);                        // throws if missing or not a regular file
//   if (file.size() > limit) ...;
//   std::string head = file.read(0, 8);

#include <cstdint>
#include <stdexcept>
#include <string>

namespace nnlab {

// "cannot WHAT PATH: REASON", the reason being errno's: what a failed system call on a file
// reports (the readers here and the atomic writer, io/atomic_file.h).
std::runtime_error io_error(const std::string& what, const std::string& path);

class InputFile {
 public:
  // Throws std::runtime_error naming the path: missing, unreadable, or not a regular file.
  explicit InputFile(const std::string& path);
  ~InputFile();
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  const std::string& path() const { return path_; }
  // The size when the file was opened.
  uint64_t size() const { return size_; }
  // Exactly `count` bytes from `offset`; throws std::runtime_error naming the
  // path when they are not there (the file shrank) or cannot be read.
  std::string read(uint64_t offset, uint64_t count) const;

 private:
  std::string path_;
  int fd_ = -1;
  uint64_t size_ = 0;
};

// The largest file read_file reads unless told otherwise.
inline constexpr uint64_t kMaxReadFileBytes = uint64_t{1} << 32;

// Reads a whole regular file of at most max_bytes; throws std::runtime_error
// naming the path when it cannot be read, is not a regular file, or is larger.
std::string read_file(const std::string& path, uint64_t max_bytes = kMaxReadFileBytes);

}  // namespace nnlab
