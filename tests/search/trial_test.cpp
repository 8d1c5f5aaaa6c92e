// load_trials on records a kill, a full disk or a hand edit may have damaged: torn
// lines are skipped, anything else wrong is one error naming the file and the line.

#include "nnlab/search/trial.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "temp_dir.h"

namespace nnlab::test {
namespace {

class TrialFile : public ::testing::Test {
 protected:
  const SearchSpace space_ = SearchSpace::parse("lr=1e-4..1e-1:log,optimizer={sgd,adam}");
  const nlohmann::json header_ = {{"space", space_.str()}, {"seed", 1}};
  TempDir dir_;
  const std::string path_ = dir_.file("trials.jsonl");

  std::string trial(const std::string& changes) const {
    nlohmann::json record = {{"trial", 0},        {"point", {0.01, 1}},         {"epochs", 2},   {"score", 0.8},
                             {"diverged", false}, {"val_accuracy", {0.7, 0.8}}, {"seconds", 1.5}};
    record.update(nlohmann::json::parse(changes));
    return record.dump();
  }
  std::string load_error(const std::string& line) const {
    write_bytes(path_, nlohmann::json({{"search", header_}}).dump() + "\n" + trial("{}") + "\n" + line + "\n");
    try {
      load_trials(path_, header_, space_);
    } catch (const std::runtime_error& e) {
      return e.what();
    }
    return "";
  }
};

TEST_F(TrialFile, ReadsWholeRecordsAndSkipsATornLastLine) {
  write_bytes(path_, nlohmann::json({{"search", header_}}).dump() + "\n" + trial(R"({"trial": 3})") + "\n" +
                         trial("{}").substr(0, 30));
  const std::vector<TrialRecord> trials = load_trials(path_, header_, space_);
  ASSERT_EQ(trials.size(), 1u);
  EXPECT_EQ(trials[0].index, 3);
  EXPECT_EQ(trials[0].plan.point, (Point{0.01, 1}));
  EXPECT_EQ(trials[0].val_accuracy, (std::vector<double>{0.7, 0.8}));
}

TEST_F(TrialFile, DamagedRecordsNameTheFileAndTheLine) {
  EXPECT_EQ(load_error(trial(R"({"epochs": 1e30})")),
            path_ + " line 3: trial record: epochs must be an integer, got 1e+30");
  EXPECT_EQ(load_error(trial(R"({"trial": 2.5})")), path_ + " line 3: trial record: trial must be an integer, got 2.5");
  EXPECT_EQ(load_error(trial(R"({"trial": -4})")), path_ + " line 3: trial record: trial must be >= 0, got -4");
  EXPECT_EQ(load_error(trial(R"({"point": [0.01, 7]})")),
            path_ + " line 3: trial record 0: optimizer = 7 lies outside optimizer={sgd,adam}");
  EXPECT_EQ(load_error(trial(R"({"point": [10, 0]})")),
            path_ + " line 3: trial record 0: lr = 10 lies outside lr=0.0001..0.1:log");
  EXPECT_EQ(load_error(trial(R"({"point": [0.01]})")), path_ + " line 3: trial record does not match the search space");
  EXPECT_NE(load_error(trial(R"({"point": "x"})")).find(path_ + " line 3: [json.exception.type_error"),
            std::string::npos);
}

}  // namespace
}  // namespace nnlab::test
