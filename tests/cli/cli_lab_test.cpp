// nnlab lab's flags, and the progress.jsonl nnlab train writes for the lab to follow.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "cli/cli_runner.h"

namespace nnlab::test {

class CliLab : public CliRunner {};

TEST_F(CliLab, BadFlagsExit2WithAMessage) {
  const CliResult port = run("lab --port 70000");
  EXPECT_EQ(port.code, 2);
  EXPECT_NE(port.err.find("--port: must be from 0 to 65535, got 70000"), std::string::npos) << port.err;
  const CliResult word = run("lab --port abc");
  EXPECT_EQ(word.code, 2);
  EXPECT_NE(word.err.find("--port"), std::string::npos) << word.err;
  const CliResult threads = run("lab --threads 0");
  EXPECT_EQ(threads.code, 2);
  EXPECT_NE(threads.err.find("must be a positive integer, got '0'"), std::string::npos) << threads.err;
  const CliResult host = run("lab --host 203.0.113.7 --port 0");  // not an address of this machine
  EXPECT_EQ(host.code, 2);
  EXPECT_NE(host.err.find("cannot listen there"), std::string::npos) << host.err;
}

TEST_F(CliLab, TrainWritesItsProgressAsItGoes) {
  const auto out = dir_ / "run";
  const CliResult r = run("train --data xor --epochs 3 --threads 1 --progress quiet --out " + out.string());
  ASSERT_EQ(r.code, 0) << r.err;
  std::istringstream progress(slurp(out / "progress.jsonl"));
  std::vector<nlohmann::json> parsed;
  for (std::string line; std::getline(progress, line);) parsed.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(parsed.size(), 5u);  // settings, 3 epochs, stop reason
  EXPECT_EQ(parsed[0]["settings"]["data"], "xor");
  EXPECT_EQ(parsed[0]["settings"]["epochs"], 3);
  EXPECT_NE(parsed[0]["settings"]["command"].get<std::string>().find("nnlab train"), std::string::npos);
  for (int e = 1; e <= 3; ++e) {
    EXPECT_EQ(parsed[e]["epoch"], e);
    EXPECT_GT(parsed[e]["train_loss"].get<double>(), 0);
  }
  EXPECT_EQ(parsed[4]["stop_reason"], "completed 3 epochs");
  // A new run in the same folder starts the file again.
  ASSERT_EQ(run("train --data xor --epochs 2 --threads 1 --progress quiet --overwrite --out " + out.string()).code, 0);
  EXPECT_EQ(count(slurp(out / "progress.jsonl"), "\n"), 4);
}

}  // namespace nnlab::test
