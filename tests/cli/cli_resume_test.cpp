// Runs that resume: killed (kill -9) at a random moment after their first checkpoint, or
// stopped with Ctrl-C, and continued with --resume, they end with the same weights, to the
// bit, and the same history as a run that was never interrupted.

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "cli_runner.h"

namespace nnlab::test {

class CliResume : public CliRunner {
 protected:
  // Starts `nnlab ARGS --out DIR` in the background, waits for DIR's first checkpoint, waits
  // `delay` seconds more and sends `signal`; returns the run's exit code.
  int run_and_stop(const std::string& args, const std::filesystem::path& out, const char* signal, double delay) const {
    const std::string checkpoint = (out / "checkpoint.safetensors").string();
    const std::string script = "( " + std::string(NNLAB_CLI) + " " + args + " --out " + out.string() + " >" +
                               (dir_ / "stopped.log").string() + " 2>&1 & pid=$!; while [ ! -f " + checkpoint +
                               " ] && kill -0 $pid 2>/dev/null; do sleep 0.01; done; sleep " + std::to_string(delay) +
                               "; kill -" + signal + " $pid 2>/dev/null; wait $pid; echo $? >" +
                               (dir_ / "code").string() + " )";
    EXPECT_EQ(std::system(("bash -c '" + script + "'").c_str()), 0);
    return std::stoi(slurp(dir_ / "code"));
  }

  // history.json without the wall-clock seconds, which no two runs share.
  static nlohmann::json history_without_time(const std::filesystem::path& folder) {
    nlohmann::json history = nlohmann::json::parse(slurp(folder / "history.json"));
    for (auto& epoch : history.at("epochs")) epoch.erase("seconds");
    return history;
  }

  void expect_same_run(const std::filesystem::path& a, const std::filesystem::path& b) const {
    const std::string model_a = slurp(a / "model.safetensors");
    EXPECT_FALSE(model_a.empty());
    EXPECT_TRUE(model_a == slurp(b / "model.safetensors")) << "the weights differ";
    const nlohmann::json ha = history_without_time(a), hb = history_without_time(b);
    EXPECT_EQ(ha.at("epochs"), hb.at("epochs"));
    EXPECT_EQ(ha.at("step_loss"), hb.at("step_loss"));
    EXPECT_EQ(ha.at("test"), hb.at("test"));
    EXPECT_EQ(ha.at("settings"), hb.at("settings").is_null() ? ha.at("settings") : hb.at("settings"));
  }

  void kill_and_resume(const std::string& args, uint64_t seed) {
    ASSERT_EQ(run(args + " --out " + (dir_ / "whole").string()).code, 0);
    std::mt19937_64 random(seed);
    const double delay = std::uniform_real_distribution<double>(0.0, 0.4)(random);
    SCOPED_TRACE("killed " + std::to_string(delay) + " s after the first checkpoint");
    const int code = run_and_stop(args, dir_ / "killed", "9", delay);
    EXPECT_TRUE(code == 137 || code == 0) << code;  // 0: it finished before the kill
    const CliResult resumed = run("train --resume " + (dir_ / "killed").string() + " --progress lines");
    ASSERT_EQ(resumed.code, 0) << resumed.err;
    EXPECT_NE(resumed.err.find("resuming"), std::string::npos) << resumed.err;
    expect_same_run(dir_ / "whole", dir_ / "killed");
  }
};

TEST_F(CliResume, KilledMlpWithBatchNormAndDropoutUnderSgd) {
  kill_and_resume(
      "train --model linear:64,batchnorm,relu,dropout:0.3,linear:10 --optimizer sgd --epochs 4 "
      "--threads 2 --progress lines",
      1);
}

// Gradient accumulation too: a kill between two batches of one step resumes at the step's start.
TEST_F(CliResume, KilledMlpAccumulatingGradientsUnderAdam) {
  kill_and_resume(
      "train --model linear:48,relu,dropout:0.2,linear:10 --batch-size 32 --accumulate-steps 3 --epochs 3 "
      "--threads 2 --progress lines",
      3);
}

TEST_F(CliResume, KilledCnnWithBatchNormAndDropoutUnderAdam) {
  kill_and_resume(
      "train --model conv:4x3x3,batchnorm,relu,maxpool:2,dropout:0.2,linear:10 --optimizer adam "
      "--epochs 3 --threads 2 --progress lines",
      2);
}

TEST_F(CliResume, CtrlCStopsAfterTheStepWritesACheckpointAndSaysHowToResume) {
  // 30 epochs: on a fast idle machine 4 (0.03 s each) could end before the signal came.
  const std::string args = "train --model linear:32,relu,dropout:0.2,linear:10 --epochs 30 --progress lines";
  ASSERT_EQ(run(args + " --out " + (dir_ / "whole").string()).code, 0);
  EXPECT_EQ(run_and_stop(args + " --checkpoint-every 1", dir_ / "stopped", "INT", 0.05), 130);
  const std::string log = slurp(dir_ / "stopped.log");
  EXPECT_NE(log.find("interrupted by SIGINT"), std::string::npos) << log;
  EXPECT_NE(log.find("Continue with: nnlab train --resume " + (dir_ / "stopped").string()), std::string::npos) << log;
  EXPECT_TRUE(std::filesystem::exists(dir_ / "stopped" / "history.json"));
  const CliResult resumed = run("train --resume " + (dir_ / "stopped").string());
  ASSERT_EQ(resumed.code, 0) << resumed.err;
  EXPECT_NE(resumed.err.find("part-way"), std::string::npos) << resumed.err;
  expect_same_run(dir_ / "whole", dir_ / "stopped");
}

// A table streamed from its file: the loader's place in the epoch (its order of blocks and rows)
// comes back from the checkpoint.
TEST_F(CliResume, CtrlCMidEpochOfAStreamedTableResumesToTheSameRun) {
  std::string text = "a,b,colour,label\n";
  for (int i = 0; i < 10000; ++i) {
    const double a = std::sin(i * 0.37) * 2, b = std::cos(i * 0.91);
    text += std::to_string(a) + "," + std::to_string(b) + "," + (i % 3 ? "red" : "blue") + "," +
            (a + b > 0.5 ? "yes" : "no") + "\n";
  }
  const std::string csv = (dir_ / "t.csv").string();
  std::ofstream(csv) << text;
  const std::string args =
      "train --data " + csv + " --stream on --hidden 256,256 --batch-size 16 --epochs 3 --threads 1 --progress lines";
  const CliResult whole = run(args + " --out " + (dir_ / "whole").string());
  ASSERT_EQ(whole.code, 0) << whole.err;
  EXPECT_NE(whole.err.find("streamed in"), std::string::npos) << whole.err;
  // Stopped 0.05 s into the second epoch (of about 0.4 s on 1 core).
  EXPECT_EQ(run_and_stop(args + " --checkpoint-every 1", dir_ / "stopped", "INT", 0.05), 130);
  const CliResult resumed = run("train --resume " + (dir_ / "stopped").string());
  ASSERT_EQ(resumed.code, 0) << resumed.err;
  EXPECT_NE(resumed.err.find("part-way"), std::string::npos) << resumed.err;
  expect_same_run(dir_ / "whole", dir_ / "stopped");
}

TEST_F(CliResume, ResumeTakesTheRunsOwnSettings) {
  ASSERT_EQ(run("train --model linear:8,relu,linear:10 --epochs 1 --out " + (dir_ / "a").string()).code, 0);
  const CliResult other = run("train --resume " + (dir_ / "a").string() + " --lr 0.5");
  EXPECT_EQ(other.code, 2);
  EXPECT_NE(other.err.find("drop --lr"), std::string::npos) << other.err;
  const CliResult missing = run("train --resume " + (dir_ / "nothing").string());
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.err.find("no checkpoint " + (dir_ / "nothing").string()), std::string::npos) << missing.err;
  // A finished run resumes to the same end.
  const CliResult again = run("train --resume " + (dir_ / "a").string());
  EXPECT_EQ(again.code, 0) << again.err;
}

}  // namespace nnlab::test
