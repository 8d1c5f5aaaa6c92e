#pragma once
// The fuzzer's bytes as a file, for readers that take a path: an anonymous
// in-memory file (memfd), named by /proc/self/fd/N, gone when closed. Nothing
// touches the disk, so a fuzzer can run a million inputs a minute.

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <string>

namespace nnlab::fuzz {

class FuzzFile {
 public:
  FuzzFile(const uint8_t* data, size_t size) {
    fd_ = ::memfd_create("nnlab-fuzz", MFD_CLOEXEC);
    if (fd_ < 0) std::abort();
    for (size_t done = 0; done < size;) {
      const ssize_t n = ::write(fd_, data + done, size - done);
      if (n <= 0) std::abort();
      done += static_cast<size_t>(n);
    }
    path_ = "/proc/self/fd/" + std::to_string(fd_);
  }
  ~FuzzFile() { ::close(fd_); }
  FuzzFile(const FuzzFile&) = delete;
  FuzzFile& operator=(const FuzzFile&) = delete;

  const std::string& path() const { return path_; }

 private:
  int fd_ = -1;
  std::string path_;
};

inline std::string text_of(const uint8_t* data, size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

// A property that must hold whatever the input: abort, so the fuzzer reports it.
#define NNLAB_FUZZ_REQUIRE(condition)                                                       \
  do {                                                                                      \
    if (!(condition)) {                                                                     \
      std::fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                         \
    }                                                                                       \
  } while (0)

}  // namespace nnlab::fuzz
