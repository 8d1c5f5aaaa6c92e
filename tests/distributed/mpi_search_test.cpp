// mpirun -np N nnlab search: rank 0 coordinates, the other ranks train the trials; 40 trials on
// 4 ranks are the 40 trials of one process (the same plans, the same scores to the bit: a trial's
// result depends on its index and plan alone), in one trials.jsonl, which a search on another
// number of ranks resumes.

#include <map>

#include "mpi_runner.h"

namespace nnlab::test {

class MpiSearch : public CliRunner {
 protected:
  void SetUp() override {
    if (!built_with_mpi()) GTEST_SKIP() << "nnlab is built without MPI (NNLAB_MPI=OFF)";
  }
  // trials.jsonl's trials by index: their point, epochs, scores and accuracies.
  static std::map<int, nlohmann::json> trials_of(const std::filesystem::path& folder) {
    std::map<int, nlohmann::json> trials;
    std::istringstream lines(slurp(folder / "trials.jsonl"));
    std::string line;
    std::getline(lines, line);  // the header
    while (std::getline(lines, line)) {
      const nlohmann::json t = nlohmann::json::parse(line);
      trials[t.at("trial").get<int>()] = {t.at("point"), t.at("epochs"), t.at("score"), t.at("val_accuracy"),
                                          t.at("val_loss")};
    }
    return trials;
  }
};

constexpr const char* kSearch =
    "search --space lr=1e-3..1e-1:log,hidden=10..40:int --strategy random --trials 40 --epochs 1 --train-size 200 "
    "--val-split 0.2 --threads 1 --seed 7";

TEST_F(MpiSearch, FortyTrialsOnFourRanksAreOneProcesssTrialsAndResumeOnThree) {
  const CliResult alone = run(std::string(kSearch) + " --out " + (dir_ / "one").string());
  ASSERT_EQ(alone.code, 0) << alone.err;
  const CliResult many = run(std::string(kSearch) + " --out " + (dir_ / "many").string(), mpirun(4));
  ASSERT_EQ(many.code, 0) << many.err;
  EXPECT_NE(many.err.find("3 ranks (and rank 0 coordinating)"), std::string::npos) << many.err;
  EXPECT_EQ(count(many.out, "40 trials"), 1) << many.out;  // rank 0 alone reports
  const std::map<int, nlohmann::json> expected = trials_of(dir_ / "one");
  ASSERT_EQ(expected.size(), 40U);
  EXPECT_EQ(trials_of(dir_ / "many"), expected);

  // A search killed after 15 trials: its file holds them, and 3 ranks finish it.
  std::istringstream lines(slurp(dir_ / "many" / "trials.jsonl"));
  std::string kept, line;
  for (int i = 0; i < 16 && std::getline(lines, line); ++i) kept += line + "\n";
  std::filesystem::create_directories(dir_ / "killed");
  std::ofstream(dir_ / "killed" / "trials.jsonl") << kept;
  const CliResult resumed = run(std::string(kSearch) + " --out " + (dir_ / "killed").string(), mpirun(3));
  ASSERT_EQ(resumed.code, 0) << resumed.err;
  EXPECT_NE(resumed.out.find("40 trials (15 resumed"), std::string::npos) << resumed.out;
  EXPECT_EQ(trials_of(dir_ / "killed"), expected);
}

}  // namespace nnlab::test
