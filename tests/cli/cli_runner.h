#pragma once
// Runs the nnlab tool as a user does, from a fresh folder per test, and keeps
// what it printed:
//
//   class CliPredict : public CliRunner {};
//   TEST_F(CliPredict, ...) {
//     const CliResult r = run("eval --model " + (dir_ / "m.safetensors").string());
//     EXPECT_EQ(r.code, 2);
//   }
//
// The folder is a TempDir (temp_dir.h): named after the test and the process,
// removed afterwards.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "temp_dir.h"

namespace nnlab::test {

struct CliResult {
  int code = -1;    // the exit code; -1 when the tool did not exit normally (a crash)
  std::string out;  // stdout
  std::string err;  // stderr
};

inline std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline int lines(const std::string& text) { return static_cast<int>(std::count(text.begin(), text.end(), '\n')); }

inline int count(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

class CliRunner : public ::testing::Test {
 protected:
  // `nnlab ARGS` through the shell (ARGS may quote); stdout and stderr are kept apart.
  // `shell` runs before it in the same shell, e.g. "ulimit -f 100;" for a full disk.
  CliResult run(const std::string& args, const std::string& shell = "") const {
    const auto out = dir_ / "stdout.txt";
    const auto err = dir_ / "stderr.txt";
    const std::string command =
        shell + std::string(NNLAB_CLI) + " " + args + " >" + out.string() + " 2>" + err.string();
    const int status = std::system(command.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
  }

  TempDir temp_;  // made when the test starts, removed when it ends
  std::filesystem::path dir_ = temp_.path();
};

}  // namespace nnlab::test
