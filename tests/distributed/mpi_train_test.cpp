// mpirun -np N nnlab train, on this machine's loopback: with the same global batch and seed, the
// run equals one process's up to the float rounding of the gradients' sums (losses and weights
// within a relative 1e-5), with an even and an uneven split of the batches; rank 0 alone prints
// and writes; a rank that dies or hangs ends the job with a message naming it, and the last
// checkpoint continues on another number of ranks.

#include "mpi_runner.h"

namespace nnlab::test {

class MpiTrain : public CliRunner {
 protected:
  void SetUp() override {
    if (!built_with_mpi()) GTEST_SKIP() << "nnlab is built without MPI (NNLAB_MPI=OFF)";
  }
  // `nnlab train ARGS --out DIR` alone and on `ranks` ranks.
  void expect_same_as_one_process(const std::string& args, int ranks) {
    const CliResult alone = run("train " + args + " --out " + (dir_ / "one").string());
    ASSERT_EQ(alone.code, 0) << alone.err;
    const CliResult many = run("train " + args + " --out " + (dir_ / "many").string(), mpirun(ranks));
    ASSERT_EQ(many.code, 0) << many.err;
    EXPECT_NE(many.err.find(std::to_string(ranks) + " ranks × 1 threads"), std::string::npos) << many.err;
    // Rank 0 alone prints.
    EXPECT_EQ(count(many.out, "test accuracy"), 1) << many.out;
    EXPECT_EQ(count(many.err, "model:"), 1) << many.err;
    expect_same_run_within_rounding(dir_ / "one", dir_ / "many");
  }
};

constexpr const char* kMlp =
    "--train-size 400 --val-split 0.1 --hidden 64,32 --optimizer momentum --lr 0.05 --batch-size 40 --epochs 2 "
    "--seed 3 --threads 1 --progress lines";

TEST_F(MpiTrain, MlpOnTwoRanksEqualsOneProcess) { expect_same_as_one_process(kMlp, 2); }

TEST_F(MpiTrain, SimpleCnnOnFourRanksEqualsOneProcess) {
  // simple-cnn shifts its images (--augment auto): every rank shifts the whole batch alike.
  expect_same_as_one_process(
      "--model simple-cnn --train-size 240 --val-split 0.2 --optimizer adam --lr 0.001 --batch-size 48 --epochs 1 "
      "--seed 1 --threads 1 --progress lines",
      4);
}

TEST_F(MpiTrain, UnevenSplitsEqualOneProcess) {
  // Batches of 7 on 3 ranks (2 + 2 + 3 rows), and a last batch of 2 rows: one rank has none.
  expect_same_as_one_process(
      "--train-size 100 --val-split 0 --hidden 20 --optimizer sgd --lr 0.1 --batch-size 7 --epochs 1 --seed 5 "
      "--threads 1 --progress lines",
      3);
}

constexpr const char* kBatchnormMlp =
    "--model linear:32,batchnorm,relu,linear:10 --train-size 400 --val-split 0.1 --optimizer sgd --lr 0.1 "
    "--batch-size 40 --epochs 2 --seed 3 --threads 1 --progress lines";

TEST_F(MpiTrain, SyncBatchnormOnTwoRanksEqualsOneProcess) {
  expect_same_as_one_process(std::string(kBatchnormMlp) + " --sync-batchnorm", 2);
}

TEST_F(MpiTrain, SyncBatchnormOfImagesOnThreeRanksEqualsOneProcess) {
  // Momentum, not Adam: the conv's bias before a BatchNorm has a gradient of 0 up to rounding,
  // and Adam's m/√v turns that rounding into whole steps of lr either way (a rounding of 1e-9
  // moved that bias by 3e-4 here), on one process as on several.
  expect_same_as_one_process(
      "--model conv:6x3x3:pad=1,batchnorm,relu,maxpool:2,linear:10 --train-size 180 --val-split 0 --optimizer "
      "momentum --lr 0.05 --batch-size 30 --epochs 1 --seed 4 --threads 1 --progress lines --sync-batchnorm",
      3);
}

TEST_F(MpiTrain, BatchnormOfEachShardIsNotOneProcesssRun) {
  // Without --sync-batchnorm each rank normalises its 20 rows alone: another run (and so the tests
  // above would see a missing synchronisation).
  const CliResult alone = run("train " + std::string(kBatchnormMlp) + " --out " + (dir_ / "one").string());
  ASSERT_EQ(alone.code, 0) << alone.err;
  const CliResult many = run("train " + std::string(kBatchnormMlp) + " --out " + (dir_ / "many").string(), mpirun(2));
  ASSERT_EQ(many.code, 0) << many.err;
  const nlohmann::json a = nlohmann::json::parse(slurp(dir_ / "one" / "history.json")).at("step_loss");
  const nlohmann::json b = nlohmann::json::parse(slurp(dir_ / "many" / "history.json")).at("step_loss");
  ASSERT_EQ(a.size(), b.size());
  double largest = 0;
  for (size_t i = 0; i < a.size(); ++i) largest = std::max(largest, std::abs(a[i].get<double>() - b[i].get<double>()));
  EXPECT_GT(largest, 1e-3);
}

TEST_F(MpiTrain, SyncBatchnormRefusesBatchesWithoutASampleForEveryRank) {
  const CliResult r =
      run("train --model linear:8,batchnorm,relu,linear:10 --train-size 100 --val-split 0 --batch-size 7 --epochs 1 "
          "--threads 1 --sync-batchnorm --out " +
              (dir_ / "run").string(),
          mpirun(3));
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("nnlab: error: --sync-batchnorm needs a sample on every rank in every batch: batches of 7 "
                       "and a last one of 2 on 3 ranks"),
            std::string::npos)
      << r.err;
  EXPECT_LT(r.err.find("nnlab: error:"), r.err.find("MPI_ABORT")) << "the line comes first:\n" << r.err;
  const CliResult none = run("train --hidden 10 --train-size 100 --sync-batchnorm --out " + (dir_ / "b").string());
  EXPECT_EQ(none.code, 2);
  EXPECT_NE(none.err.find("--sync-batchnorm: the model has no batchnorm"), std::string::npos) << none.err;
}

TEST_F(MpiTrain, RankZeroAloneWritesTheRun) {
  const std::filesystem::path out = dir_ / "run";
  const CliResult r = run(
      "train --train-size 200 --hidden 16 --epochs 1 --threads 1 --progress lines --out " + out.string(), mpirun(2));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::exists(out / "model.safetensors"));
  EXPECT_TRUE(std::filesystem::exists(out / "history.json"));
  // progress.jsonl (nnlab lab follows it): rank 0's lines alone, the settings, the epoch, the end.
  EXPECT_EQ(count(slurp(out / "progress.jsonl"), "\n"), 3) << slurp(out / "progress.jsonl");
  int folders = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) folders += entry.is_directory() ? 1 : 0;
  EXPECT_EQ(folders, 1) << "another rank chose a folder of its own";
  EXPECT_EQ(count(r.out, "wrote "), 2) << r.out;  // the model and history line, the report line
}

TEST_F(MpiTrain, BadFlagEndsEveryRankWithOneLine) {
  const CliResult r = run("train --mpi-timeout -1", mpirun(2));
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(count(r.err, "nnlab: error:"), 1) << r.err;
}

}  // namespace nnlab::test
