// Hostile or absurd input to the nnlab tool is refused before it costs, in one line:
// models with NaN weights, devices given as files, runs planned for a billion epochs,
// full disks, and memory that runs out.

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/cli_runner.h"
#include "nnlab/io/image_file.h"
#include "nnlab/io/model_file.h"
#include "nnlab/model/model_spec.h"

namespace nnlab::test {

class CliHostile : public CliRunner {
 protected:
  // A 784-10 model, saved; `poison` sets one weight of 0.weight.
  std::string saved_model(float poison) {
    Sequential<float> model = build_model<float>("linear:10", Shape{1, 28, 28});
    Rng rng(3);
    model.initialize(Initializer::he_normal(), rng);
    (*model.parameters()[0].value)[17] = poison;
    const std::string path = (dir_ / "model.safetensors").string();
    save_model(model, path, {{"nnlab.loss", "softmax-cross-entropy"}, {"nnlab.classes", "10"}});
    return path;
  }
  std::string digit() {
    const std::string path = (dir_ / "digit.pgm").string();
    GreyImage image(28, 28, 1.0f);
    for (int r = 6; r < 22; ++r) image.at(r, 14) = 0.0f;
    write_pgm(path, image);
    return path;
  }
};

TEST_F(CliHostile, ModelsWithNaNOrInfiniteWeightsAreRefusedByPredictAndEval) {
  for (const float poison : {std::numeric_limits<float>::quiet_NaN(), -std::numeric_limits<float>::infinity()}) {
    const std::string model = saved_model(poison);
    const std::string expected = "nnlab: error: model " + model + ": tensor 0.weight holds NaN/Inf values (1 " +
                                 (std::isnan(poison) ? "NaN" : "infinite") +
                                 " of 7840); the file is damaged or was saved from a run that diverged\n";
    const CliResult predict = run("predict --model " + model + " " + digit());
    EXPECT_EQ(predict.code, 2);
    EXPECT_EQ(predict.err, expected);
    EXPECT_EQ(predict.out, "");
    const CliResult eval = run("eval --model " + model);
    EXPECT_EQ(eval.code, 2);
    EXPECT_EQ(eval.err, expected);
  }
  // The same model without the poison predicts.
  const CliResult fine = run("predict --model " + saved_model(0.5f) + " " + digit());
  EXPECT_EQ(fine.code, 0) << fine.err;
}

TEST_F(CliHostile, DevicesAndPipesAreNoModelOrImage) {
  CliResult r = run("predict --model /dev/zero " + digit());
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "nnlab: error: cannot read /dev/zero: not a regular file (a device or a pipe)\n");
  r = run("predict --model " + saved_model(0.5f) + " /dev/zero");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "nnlab: error: image /dev/zero is not a file\n");
  r = run("eval --model /dev/urandom");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(lines(r.err), 1);
  EXPECT_NE(r.err.find("not a regular file"), std::string::npos) << r.err;
}

// A billion epochs used to reserve the loss of every planned step (450 GB) and end
// in "std::bad_alloc". Now the run starts as any other; early stopping with a
// threshold no epoch can pass ends it after its second epoch.
TEST_F(CliHostile, ABillionEpochsStartLikeAnyRun) {
  const std::string out = (dir_ / "run").string();
  const CliResult r =
      run("train --epochs 1000000000 --hidden 8 --threads 1 --progress lines --early-stopping 1 "
          "--min-delta 1e9 --out " +
          out);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("epoch   1/1000000000"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("epoch   2/1000000000"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("epoch   3/"), std::string::npos) << r.err;
  const auto history = nlohmann::json::parse(slurp(std::filesystem::path(out) / "history.json"));
  EXPECT_EQ(history["settings"]["epochs"], 1000000000);
  EXPECT_EQ(history["epochs"].size(), 2u);
}

TEST_F(CliHostile, IterationsBeyondTwoBillionEpochsAreRefusedNamingTheFlag) {
  const CliResult r = run("train --iterations 1000000000000 --hidden 8 --threads 1 --out " + (dir_ / "run").string());
  EXPECT_EQ(r.code, 2);
  // The bundled sample: 7,200 training images in batches of 64 make 113 batches per epoch.
  EXPECT_EQ(r.err,
            "nnlab: error: --iterations 1000000000000 at 113 steps per epoch needs more than 2147483647 epochs; give "
            "at most 242665652111\n");
  EXPECT_FALSE(std::filesystem::exists(dir_ / "run"));
}

// A disk that fills up as the run ends (a file-size limit: /bin/sh counts 512-byte
// blocks, so writes past 64 KB fail):
// the small history is written before the large model, so the finished run's
// record is kept (with the progress.jsonl written as it trained); the error names the file and
// why; no temporary file is left.
TEST_F(CliHostile, AFullDiskKeepsTheHistoryAndSaysWhy) {
  const std::string out = (dir_ / "run").string();
  const CliResult r = run("train --hidden 100 --iterations 20 --threads 1 --progress quiet --out " + out,
                          "trap '' XFSZ; ulimit -f 128; ");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.substr(r.err.find("nnlab: error:")),
            "nnlab: error: cannot write " + out + "/model.safetensors: File too large\n");
  const auto history = nlohmann::json::parse(slurp(std::filesystem::path(out) / "history.json"));
  EXPECT_TRUE(history.contains("test"));
  EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(out) / "history.csv"));
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(out)) names.push_back(entry.path().filename());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"history.csv", "history.json", "progress.jsonl"}));
}

TEST_F(CliHostile, ASearchThatCannotWriteItsTrialsSaysWhyAndWhere) {
  const std::string out = (dir_ / "search").string();
  const CliResult r =
      run("search --space \"lr=1e-3..1e-1:log\" --trials 3 --epochs 1 --hidden 8 --train-size 100 "
          "--workers 1 --threads 1 --out " +
              out,
          "trap '' XFSZ; ulimit -f 1; ");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.substr(r.err.find("nnlab: error:")),
            "nnlab: error: cannot write " + out + "/trials.jsonl: File too large\n");
}

// Memory that runs out (an address-space limit of 2 GB, and a layer of 20000×20000 weights:
// 1.6 GB, and as much again for its gradient) is one line saying so, exit code 1, never a bare "std::bad_alloc".
TEST_F(CliHostile, MemoryThatRunsOutIsOneLineWithTheCommand) {
  const CliResult r = run("train --hidden 20000,20000 --iterations 1 --threads 1 --out " + (dir_ / "run").string(),
                          "ulimit -v 2000000; ");
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_EQ(r.err.substr(r.err.find("nnlab: error:")),
            "nnlab: error: memory ran out while running nnlab train: the model, the batch or the data needs more "
            "memory than this machine gives (try a smaller --batch-size or model)\n");
  EXPECT_EQ(r.err.find("std::bad_alloc"), std::string::npos);
}

}  // namespace nnlab::test
