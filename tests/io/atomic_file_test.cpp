// write_file_atomic: whole files or none, no temporary files left to pile up, and
// errors that say why, with the path.

#include "nnlab/io/atomic_file.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utime.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <stdexcept>
#include <string>
#include <thread>

#include "nnlab/io/input_file.h"
#include "temp_dir.h"

namespace nnlab::test {
namespace {

// The id of a process that has just ended (and been reaped): no process has it now.
pid_t dead_pid() {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ::waitpid(child, nullptr, 0);
  return child;
}

TEST(AtomicFile, WritesTheWholeFileAndNothingElse) {
  TempDir dir;
  write_file_atomic(dir.file("f.txt"), "first");
  write_file_atomic(dir.file("f.txt"), "second, longer");
  EXPECT_EQ(read_file(dir.file("f.txt")), "second, longer");
  EXPECT_EQ(dir.names(), std::vector<std::string>{"f.txt"});
  struct stat info {};
  ASSERT_EQ(::stat(dir.file("f.txt").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0644u);
}

TEST(AtomicFile, RemovesTheTemporaryFilesOfDeadProcessesOnly) {
  TempDir dir;
  const std::string dead = std::to_string(dead_pid());
  const std::string live = std::to_string(::getppid());
  const std::string self = std::to_string(::getpid());
  for (const std::string& name : std::vector<std::string>{
           ".f.txt.tmp." + dead + ".1", ".f.txt.tmp." + live + ".1", ".f.txt.tmp." + self + ".999",
           ".g.txt.tmp." + dead + ".1", "f.txt.tmp.AbC123", "f.txt.tmp.XyZ789", ".f.txt.tmp.notapid"}) {
    write_bytes(dir.file(name), "stale");
  }
  // An nnlab before predictable names left f.txt.tmp.XXXXXX: removed once an hour old.
  const time_t two_hours_ago = std::time(nullptr) - 7200;
  const utimbuf old{two_hours_ago, two_hours_ago};
  ASSERT_EQ(::utime(dir.file("f.txt.tmp.AbC123").c_str(), &old), 0);

  write_file_atomic(dir.file("f.txt"), "new");
  // In name order, as names() gives them (a live pid of 5 digits sorts before one of 4).
  std::vector<std::string> kept{".f.txt.tmp." + live + ".1",
                                ".f.txt.tmp." + self + ".999",
                                ".f.txt.tmp.notapid",
                                ".g.txt.tmp." + dead + ".1",
                                "f.txt",
                                "f.txt.tmp.XyZ789"};
  std::sort(kept.begin(), kept.end());
  EXPECT_EQ(dir.names(), kept);
}

// A writer killed part-way through leaves the old file whole, and at worst one
// temporary file, which the next write removes.
TEST(AtomicFile, AKillDuringAWriteLeavesNoTraceAfterTheNextWrite) {
  TempDir dir;
  const std::string path = dir.file("big.bin");
  write_file_atomic(path, "old");
  const pid_t child = ::fork();
  if (child == 0) {
    const std::string big(64 << 20, 'x');
    for (;;) write_file_atomic(path, big);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  const std::string contents = read_file(path);
  EXPECT_TRUE(contents == "old" || contents.size() == (64u << 20)) << contents.size() << " bytes";
  write_file_atomic(path, "after");
  EXPECT_EQ(dir.names(), std::vector<std::string>{"big.bin"});
  EXPECT_EQ(read_file(path), "after");
}

// A full disk, as a file-size limit: the error says why and where, and no
// temporary file is left.
TEST(AtomicFile, AWriteErrorNamesThePathAndTheReason) {
  TempDir dir;
  rlimit saved{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &saved), 0);
  auto* saved_handler = ::signal(SIGXFSZ, SIG_IGN);
  rlimit small = saved;
  small.rlim_cur = 1000;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  std::string message;
  try {
    write_file_atomic(dir.file("model.safetensors"), std::string(5000, 'w'));
  } catch (const std::runtime_error& e) {
    message = e.what();
  }
  ::setrlimit(RLIMIT_FSIZE, &saved);
  ::signal(SIGXFSZ, saved_handler);
  EXPECT_EQ(message, "cannot write " + dir.file("model.safetensors") + ": File too large");
  EXPECT_TRUE(dir.names().empty());
}

TEST(AtomicFile, AMissingFolderIsNamed) {
  TempDir dir;
  try {
    write_file_atomic(dir.file("absent/f.txt"), "x");
    ADD_FAILURE() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()),
              "cannot write " + dir.file("absent/f.txt") + ": folder " + dir.file("absent") + " does not exist");
  }
}

}  // namespace
}  // namespace nnlab::test
