// The nnlab tool as a user runs it: exit codes, one-line errors, files written.

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "cli/cli_runner.h"
#include "nnlab/data/idx.h"
#include "test_util.h"

namespace nnlab::test {

class Cli : public CliRunner {
 protected:
  // A copy of the bundled sample's files, with the image file replaced by `images`.
  std::string data_folder_with_images(const std::string& name, const std::string& images) {
    const auto folder = dir_ / name;
    std::filesystem::create_directories(folder);
    const std::filesystem::path source = std::filesystem::path(NNLAB_SOURCE_DIR) / "data" / "mnist";
    std::filesystem::copy_file(source / "t10k-labels-idx1-ubyte.gz", folder / "t10k-labels-idx1-ubyte.gz");
    std::ofstream(folder / "t10k-images-idx3-ubyte", std::ios::binary) << images;
    return folder.string();
  }
};

TEST_F(Cli, UnknownFlagIsOneLineAndExitCode2) {
  const CliResult r = run("train --no-such-flag");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("--no-such-flag"), std::string::npos) << r.err;
}

TEST_F(Cli, NonNumericLearningRateIsOneLineAndExitCode2) {
  const CliResult r = run("train --lr abc");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("--lr"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("abc"), std::string::npos) << r.err;
  EXPECT_LT(r.err.size(), 120u) << r.err;  // one short line, not CLI11's range of 300 digits
}

TEST_F(Cli, BadValuesNameTheFlag) {
  for (const char* args : {"train --val-split 1.5", "train --init glorious", "train --activation swish",
                           "train --model linear:5,relux", "train --optimizer sdg", "train --batch-size 0",
                           "train --augment shift:x", "train --augment flip", "train --augment shift:20"}) {
    const CliResult r = run(args);
    EXPECT_EQ(r.code, 2) << args;
    EXPECT_EQ(lines(r.err), 1) << args << ": " << r.err;
  }
}

// --augment auto: image shifts for a model with convolutions (simple-cnn), none for an MLP.
TEST_F(Cli, AugmentAutoShiftsImagesForConvolutionalModelsOnly) {
  const std::string out = (dir_ / "run").string() + " --overwrite";
  const CliResult cnn = run("train --model simple-cnn --iterations 2 --val-split 0 --progress quiet --out " + out);
  EXPECT_EQ(cnn.code, 0) << cnn.err;
  EXPECT_NE(cnn.err.find("augment shift:2"), std::string::npos) << cnn.err;
  EXPECT_NE(slurp(dir_ / "run" / "history.json").find("\"augment\": \"shift:2\""), std::string::npos);

  const CliResult mlp = run("train --hidden 16 --iterations 2 --val-split 0 --progress quiet --out " + out);
  EXPECT_EQ(mlp.code, 0) << mlp.err;
  EXPECT_NE(mlp.err.find("augment none"), std::string::npos) << mlp.err;

  const CliResult off =
      run("train --model simple-cnn --augment none --iterations 2 --val-split 0 --progress quiet "
          "--out " +
          out);
  EXPECT_EQ(off.code, 0) << off.err;
  EXPECT_NE(off.err.find("augment none"), std::string::npos) << off.err;

  const CliResult mlp_shift =
      run("train --hidden 16 --augment shift:1 --iterations 2 --val-split 0 --progress quiet "
          "--out " +
          out);
  EXPECT_EQ(mlp_shift.code, 0) << mlp_shift.err;
  EXPECT_NE(mlp_shift.err.find("augment shift:1"), std::string::npos) << mlp_shift.err;
}

TEST_F(Cli, TruncatedIdxFileNamesTheFileAndExits2) {
  // A valid header for 10000 28×28 images, then only 100 bytes of pixels.
  std::string images("\x00\x00\x08\x03\x00\x00\x27\x10\x00\x00\x00\x1c\x00\x00\x00\x1c", 16);
  images += std::string(100, '\x01');
  const std::string folder = data_folder_with_images("truncated", images);
  const CliResult r = run("train --data " + folder + " --epochs 1");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("t10k-images-idx3-ubyte"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("truncated"), std::string::npos) << r.err;
}

TEST_F(Cli, WrongMagicNumberNamesTheFileAndExits2) {
  const std::string folder = data_folder_with_images("magic", std::string("GIF89a not an idx file at all"));
  const CliResult r = run("train --data " + folder + " --epochs 1");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("t10k-images-idx3-ubyte"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("magic"), std::string::npos) << r.err;
}

TEST_F(Cli, MissingDataFolderExits2) {
  const CliResult r = run("train --data " + (dir_ / "nowhere").string());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("nowhere"), std::string::npos) << r.err;
}

TEST_F(Cli, HelpDocumentsEveryFlag) {
  const CliResult r = run("train --help");
  EXPECT_EQ(r.code, 0);
  for (const char* flag :
       {"--model", "--hidden", "--activation", "--init", "--optimizer", "--lr", "--batch-size", "--epochs",
        "--iterations", "--seed", "--threads", "--val-split", "--data", "--out", "--save"}) {
    EXPECT_NE(r.out.find(flag), std::string::npos) << flag;
  }
}

TEST_F(Cli, TrainsSavesAndEvaluatesTheSavedModel) {
  const auto out = dir_ / "run";
  const CliResult train =
      run("train --hidden 32 --epochs 2 --batch-size 50 --optimizer sgd --lr 0.1 --threads 1 --progress lines --out " +
          out.string());
  ASSERT_EQ(train.code, 0) << train.err;
  EXPECT_NE(train.err.find("epoch   2/2"), std::string::npos) << train.err;
  for (const char* file : {"model.safetensors", "history.csv", "history.json"}) {
    EXPECT_TRUE(std::filesystem::exists(out / file)) << file;
  }
  const auto history = nlohmann::json::parse(slurp(out / "history.json"));
  EXPECT_EQ(history["epochs"].size(), 2u);
  EXPECT_EQ(history["settings"]["model"], "linear:32,relu,linear:10");
  const double accuracy = history["test"]["accuracy"];
  EXPECT_GT(accuracy, 0.85);  // two epochs of a small network already learn most digits
  EXPECT_EQ(lines(slurp(out / "history.csv")), 3);

  const CliResult eval = run("eval --model " + (out / "model.safetensors").string());
  ASSERT_EQ(eval.code, 0) << eval.err;
  char expected[32];
  std::snprintf(expected, sizeof expected, "test accuracy %.4f", accuracy);
  EXPECT_NE(eval.out.find(expected), std::string::npos) << eval.out << " vs " << expected;
}

TEST_F(Cli, SameSeedGivesTheSameHistory) {
  const std::string args = "train --hidden 16 --iterations 30 --batch-size 32 --threads 1 --progress quiet --seed 5";
  ASSERT_EQ(run(args + " --out " + (dir_ / "a").string()).code, 0);
  ASSERT_EQ(run(args + " --out " + (dir_ / "b").string()).code, 0);
  const auto a = nlohmann::json::parse(slurp(dir_ / "a" / "history.json"));
  const auto b = nlohmann::json::parse(slurp(dir_ / "b" / "history.json"));
  EXPECT_EQ(a["step_loss"], b["step_loss"]);
  EXPECT_EQ(a["step_loss"].size(), 30u);
}

TEST_F(Cli, EvalOfAMissingModelExits2) {
  const CliResult r = run("eval --model " + (dir_ / "missing.safetensors").string());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("missing.safetensors"), std::string::npos) << r.err;
}

TEST_F(Cli, TrainingThroughStepIsAClearError) {
  const CliResult r = run("train --activation step --epochs 1");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("Step"), std::string::npos) << r.err;
}

TEST_F(Cli, GradcheckPassesForEveryLayerAndModel) {
  const CliResult r = run("gradcheck");
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("all gradients agree"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("layer linear:5"), std::string::npos);
  EXPECT_NE(r.out.find("layer softmax"), std::string::npos);
}

}  // namespace nnlab::test

namespace nnlab::test {

TEST_F(Cli, OptimizerPathsExperimentWritesChartsAndData) {
  const CliResult r = run("experiment optimizer-paths --out " + (dir_ / "paths").string());
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* file : {"bowl_paths.svg", "bowl_paths.csv", "saddle_paths.svg", "saddle_paths.csv"}) {
    EXPECT_TRUE(std::filesystem::exists(dir_ / "paths" / file)) << file;
  }
  const std::string svg = slurp(dir_ / "paths" / "bowl_paths.svg");
  EXPECT_NE(svg.find("<svg"), std::string::npos);
  EXPECT_NE(svg.find("Adam"), std::string::npos);
  EXPECT_NE(r.out.find("SGD       ( -0.350,   0.085)"), std::string::npos) << r.out;
  // 6 optimizers × 31 points, plus the header.
  EXPECT_EQ(lines(slurp(dir_ / "paths" / "bowl_paths.csv")), 6 * 31 + 1);
}

TEST_F(Cli, InitHistogramsExperimentWritesAGridPerActivation) {
  const CliResult r = run("experiment init-histograms --out " + (dir_ / "hist").string());
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* file :
       {"histograms_sigmoid.svg", "histograms_tanh.svg", "histograms_relu.svg", "activation_stats.csv"}) {
    EXPECT_TRUE(std::filesystem::exists(dir_ / "hist" / file)) << file;
  }
  EXPECT_EQ(lines(slurp(dir_ / "hist" / "activation_stats.csv")), 3 * 4 * 5 + 1);
}

TEST_F(Cli, UnknownExperimentIsOneLineAndExitCode2) {
  const CliResult r = run("experiment no-such-thing");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(lines(r.err), 1) << r.err;
}

}  // namespace nnlab::test

namespace nnlab::test {

TEST_F(Cli, DivergingLearningRateStopsWithTheStep) {
  const CliResult r = run("train --optimizer sgd --lr 10 --schedule constant --epochs 3 --threads 1 --out " +
                          (dir_ / "diverge").string());
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("nnlab: error: training diverged at step "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("(epoch 1)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("try 1."), std::string::npos) << r.err;
}

}  // namespace nnlab::test
