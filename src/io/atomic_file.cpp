#include "nnlab/io/atomic_file.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "nnlab/io/input_file.h"

namespace nnlab {

// How a write survives a kill (SIGKILL, a crash, a power cut) part-way:
//
// 1. The contents go first to an anonymous file in the target's folder
//    (O_TMPFILE): it has no name, so a kill while it is written, which is nearly
//    all of the time a write takes, leaves nothing behind at all.
// 2. Once written and flushed, it is given a predictable name, `.NAME.tmp.PID.N`
//    (hidden, and saying whose it is), and renamed over the target; a kill in
//    that instant leaves that file behind.
// 3. Before each write, temporary files of the same target whose process is gone
//    are removed, so leftovers never pile up. Those of live processes (another
//    writer of the same file) are left alone.
//
// Where O_TMPFILE is not supported (some network and FUSE file systems), step 1
// writes the named file directly and step 3 is what cleans up after a kill.
// Files named NAME.tmp.XXXXXX by nnlab versions before this scheme carry no
// process id: they are removed once untouched for an hour.

namespace {

// The prefix of this target's temporary names: ".NAME.tmp.".
std::string temp_prefix(const std::filesystem::path& target) { return "." + target.filename().string() + ".tmp."; }

// The process id a temporary name carries ("1234" of ".NAME.tmp.1234.7"), or 0.
pid_t owner_of(const std::string& suffix) {
  pid_t pid = 0;
  size_t i = 0;
  for (; i < suffix.size() && suffix[i] >= '0' && suffix[i] <= '9' && pid < 100'000'000; ++i) {
    pid = pid * 10 + (suffix[i] - '0');
  }
  return i > 0 && i < suffix.size() && suffix[i] == '.' ? pid : 0;
}

bool process_gone(pid_t pid) { return ::kill(pid, 0) != 0 && errno == ESRCH; }

// A legacy mkstemp name, NAME.tmp.XXXXXX, last written over an hour ago.
bool stale_legacy_temp(const std::filesystem::path& file, const std::string& name, const std::string& target_name) {
  const std::string prefix = target_name + ".tmp.";
  if (name.size() != prefix.size() + 6 || name.compare(0, prefix.size(), prefix) != 0) return false;
  struct stat info {};
  if (::lstat(file.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return false;
  return std::chrono::system_clock::now() - std::chrono::system_clock::from_time_t(info.st_mtime) >
         std::chrono::hours(1);
}

// Best effort: a folder that cannot be listed, or a file that cannot be removed,
// is no reason to fail the write itself.
void remove_stale_temps(const std::filesystem::path& target) {
  const std::filesystem::path folder = target.has_parent_path() ? target.parent_path() : ".";
  const std::string prefix = temp_prefix(target);
  const std::string target_name = target.filename().string();
  DIR* dir = ::opendir(folder.c_str());
  if (dir == nullptr) return;
  while (const dirent* entry = ::readdir(dir)) {
    const std::string name = entry->d_name;
    const std::filesystem::path file = folder / name;
    if (name.compare(0, prefix.size(), prefix) == 0) {
      const pid_t pid = owner_of(name.substr(prefix.size()));
      if (pid > 0 && pid != ::getpid() && process_gone(pid)) ::unlink(file.c_str());
    } else if (stale_legacy_temp(file, name, target_name)) {
      ::unlink(file.c_str());
    }
  }
  ::closedir(dir);
}

// Distinguishes the writes of one process's threads to the same target.
std::atomic<unsigned long> write_counter{0};

std::string temp_name(const std::filesystem::path& target) {
  const std::filesystem::path folder = target.has_parent_path() ? target.parent_path() : ".";
  return (folder / (temp_prefix(target) + std::to_string(::getpid()) + "." + std::to_string(++write_counter))).string();
}

// Opens `name` for writing, exclusively. A file already there can only be a
// leftover of a dead process that had our process id, so it is replaced.
int create_named(const std::string& name) {
  int fd = ::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0 && errno == EEXIST) {
    ::unlink(name.c_str());
    fd = ::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  }
  return fd;
}

void write_all(int fd, std::string_view contents, const std::string& path) {
  const char* data = contents.data();
  size_t left = contents.size();
  while (left > 0) {
    const ssize_t written = ::write(fd, data, left);
    if (written < 0) {
      if (errno == EINTR) continue;
      throw io_error("write", path);
    }
    data += written;
    left -= static_cast<size_t>(written);
  }
}

// Gives the anonymous file `fd` the name `name`.
bool link_anonymous(int fd, const std::string& name) {
  const std::string self = "/proc/self/fd/" + std::to_string(fd);
  if (::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, name.c_str(), AT_SYMLINK_FOLLOW) == 0) return true;
  if (errno != EEXIST) return false;
  ::unlink(name.c_str());
  return ::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, name.c_str(), AT_SYMLINK_FOLLOW) == 0;
}

}  // namespace

void write_file_atomic(const std::string& path, std::string_view contents) {
  const std::filesystem::path target(path);
  if (target.has_parent_path() && !std::filesystem::is_directory(target.parent_path())) {
    throw std::runtime_error("cannot write " + path + ": folder " + target.parent_path().string() + " does not exist");
  }
  remove_stale_temps(target);
  const std::string folder = target.has_parent_path() ? target.parent_path().string() : ".";
  const std::string temp = temp_name(target);
  int fd = ::open(folder.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
  const bool anonymous = fd >= 0;
  if (!anonymous) fd = create_named(temp);
  if (fd < 0) throw io_error("create a temporary file for", path);
  bool named = !anonymous;
  try {
    write_all(fd, contents, path);
    // The usual permissions whatever the umask, as for files nnlab wrote before.
    ::fchmod(fd, 0644);
    if (::fsync(fd) != 0) throw io_error("flush", path);
    if (anonymous) {
      if (!link_anonymous(fd, temp)) throw io_error("name the temporary file for", path);
      named = true;
    }
    if (std::rename(temp.c_str(), path.c_str()) != 0) throw io_error("rename the temporary file onto", path);
  } catch (...) {
    ::close(fd);
    if (named) ::unlink(temp.c_str());
    throw;
  }
  if (::close(fd) != 0) throw io_error("flush", path);
  // The rename itself reaches the disk with the folder's entry.
  const int folder_fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (folder_fd >= 0) {
    ::fsync(folder_fd);
    ::close(folder_fd);
  }
}

void make_folders(const std::string& path) {
  std::error_code error;
  std::filesystem::create_directories(path, error);
  if (error || !std::filesystem::is_directory(path)) {
    throw std::runtime_error("cannot create folder " + path + (error ? ": " + error.message() : ""));
  }
}

}  // namespace nnlab
