// nnlab train with early stopping, as a user runs it.

#include <cstdio>
#include <filesystem>
#include <string>

#include "cli/cli_runner.h"
#include "test_util.h"

namespace nnlab::test {

class CliRegularization : public CliRunner {};

// A learning rate far too high for Adam makes the validation loss jump about, so
// patience 2 ends the run well before its 30 epochs.
TEST_F(CliRegularization, EarlyStoppingStopsRestoresAndRecordsWhy) {
  const auto out = dir_ / "run";
  const CliResult r = run(
      "train --hidden 32 --epochs 30 --optimizer adam --lr 0.02 --schedule constant --batch-size 100 --val-split 0.1 "
      "--early-stopping 2 --threads 1 --progress lines --out " +
      out.string());
  ASSERT_EQ(r.code, 0) << r.err;
  const auto history = nlohmann::json::parse(slurp(out / "history.json"));
  const int best = history["best_epoch"];
  const int stopped = history["stopped_epoch"];
  ASSERT_GT(stopped, 0) << history["stop_reason"];
  EXPECT_EQ(stopped - best, 2);
  EXPECT_EQ(static_cast<int>(history["epochs"].size()), stopped);
  EXPECT_EQ(history["restored"], true);
  EXPECT_EQ(history["early_stopping_metric"], "val_loss");
  EXPECT_EQ(history["settings"]["early_stopping"], 2);
  const std::string reason = history["stop_reason"];
  EXPECT_EQ(reason,
            "early stopping: val_loss did not improve for 2 epochs; best epoch " + std::to_string(best) + " restored");
  EXPECT_NE(r.err.find("stopped: " + reason), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("the model of epoch " + std::to_string(best)), std::string::npos) << r.out;

  // The saved model is the restored one: eval gives the test accuracy train reported.
  const CliResult eval = run("eval --model " + (out / "model.safetensors").string());
  ASSERT_EQ(eval.code, 0) << eval.err;
  char expected[32];
  std::snprintf(expected, sizeof expected, "test accuracy %.4f", static_cast<double>(history["test"]["accuracy"]));
  EXPECT_NE(eval.out.find(expected), std::string::npos) << eval.out << " vs " << expected;
}

TEST_F(CliRegularization, EarlyStoppingOnValidationAccuracyWithMinDelta) {
  const auto out = dir_ / "run";
  const CliResult r =
      run("train --hidden 32 --epochs 4 --batch-size 100 --val-split 0.1 --early-stopping 1 --early-stopping-metric "
          "val_accuracy --min-delta 0.5 --threads 1 --progress quiet --out " +
          out.string());
  ASSERT_EQ(r.code, 0) << r.err;
  const auto history = nlohmann::json::parse(slurp(out / "history.json"));
  // No epoch can beat the first by half the accuracy: stop after epoch 2, epoch 1 restored.
  EXPECT_EQ(history["best_epoch"], 1);
  EXPECT_EQ(history["stopped_epoch"], 2);
  EXPECT_EQ(history["early_stopping_metric"], "val_accuracy");
  EXPECT_EQ(history["stop_reason"],
            "early stopping: val_accuracy did not improve by 0.5 for 1 epoch; best epoch 1 restored");
}

TEST_F(CliRegularization, EarlyStoppingWithoutValidationDataIsOneLineAndExitCode2) {
  const CliResult r = run("train --val-split 0 --early-stopping 5 --epochs 2 --out " + (dir_ / "x").string());
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("--early-stopping"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--val-split"), std::string::npos) << r.err;
}

TEST_F(CliRegularization, BadEarlyStoppingValuesNameTheFlag) {
  for (const char* args : {"train --early-stopping -1", "train --early-stopping-metric val_los",
                           "train --early-stopping 3 --min-delta -0.1", "train --early-stopping abc"}) {
    const CliResult r = run(args);
    EXPECT_EQ(r.code, 2) << args;
    EXPECT_EQ(lines(r.err), 1) << args << ": " << r.err;
  }
}

TEST_F(CliRegularization, HelpDocumentsTheRegularisationFlags) {
  const CliResult r = run("train --help");
  EXPECT_EQ(r.code, 0);
  for (const char* flag : {"--early-stopping", "--early-stopping-metric", "--min-delta", "--weight-decay", "--l1"}) {
    EXPECT_NE(r.out.find(flag), std::string::npos) << flag;
  }
}

}  // namespace nnlab::test
