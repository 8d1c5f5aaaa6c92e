// The runner: parallel workers, a results file streamed line by line, and a
// killed search that resumes without repeating finished trials.

#include "nnlab/search/search_runner.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "nnlab/search/random_search.h"
#include "temp_dir.h"

namespace nnlab {
namespace {

class SearchRunner : public ::testing::Test {
 protected:
  std::vector<std::string> lines() const {
    std::ifstream in(path_);
    std::vector<std::string> result;
    for (std::string line; std::getline(in, line);) result.push_back(line);
    return result;
  }

  SearchResult search(int trials, std::atomic<int>& calls, int workers = 2) {
    RandomSearch random(space_, 7, trials, 3);
    SearchOptions options{.workers = workers, .results_path = path_, .header = {{"space", space_.str()}}};
    return run_search(
        random, space_,
        [&](int index, const TrialPlan& plan) {
          ++calls;
          TrialRecord r;
          r.score = plan.point[0] * 100 + index;  // depends on the trial alone
          r.val_accuracy = {0.1, r.score};
          return r;
        },
        options);
  }

  SearchSpace space_ = SearchSpace::parse("lr=1e-6..1e-2:log,optimizer={sgd,adam}");
  test::TempDir dir_;
  std::string path_ = dir_.file("results.jsonl");
};

TEST_F(SearchRunner, StreamsOneLinePerTrialAfterAHeader) {
  std::atomic<int> calls = 0;
  const SearchResult result = search(10, calls);
  EXPECT_EQ(calls, 10);
  ASSERT_EQ(result.trials.size(), 10u);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(result.trials[i].index, i);
  const auto written = lines();
  ASSERT_EQ(written.size(), 11u);
  EXPECT_NE(written[0].find("\"search\""), std::string::npos);
  EXPECT_EQ(TrialRecord::from_json(nlohmann::json::parse(written[5]), space_).val_accuracy.size(), 2u);
}

TEST_F(SearchRunner, ResumesFromAPartialFileWithoutRepeatingTrials) {
  std::atomic<int> calls = 0;
  const SearchResult full = search(10, calls);
  // A search killed after four trials, mid-way through writing a fifth line:
  // the header, four records (not in index order: two workers) and a torn line.
  auto written = lines();
  {
    std::ofstream out(path_, std::ios::trunc);
    out << written[0] << "\n" << written[3] << "\n" << written[1] << "\n" << written[7] << "\n" << written[2] << "\n";
    out << written[4].substr(0, written[4].size() / 2);
  }
  std::vector<int> kept;
  for (int line : {3, 1, 7, 2}) kept.push_back(nlohmann::json::parse(written[line]).at("trial").get<int>());
  calls = 0;
  const SearchResult resumed = search(10, calls);
  EXPECT_EQ(resumed.resumed, 4);
  EXPECT_EQ(calls, 6);  // only the missing trials ran
  ASSERT_EQ(resumed.trials.size(), 10u);
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(resumed.trials[i].index, i);
    EXPECT_EQ(resumed.trials[i].plan.point, full.trials[i].plan.point);
    EXPECT_EQ(resumed.trials[i].score, full.trials[i].score);
  }
  // Every line of the file parses again: the torn one was ended before appending.
  int records = 0;
  for (const auto& line : lines()) records += nlohmann::json::parse(line, nullptr, false).contains("trial");
  EXPECT_EQ(records, 10);
  // Started once more: nothing left to do; asked for more trials: only the new ones run.
  calls = 0;
  EXPECT_EQ(search(10, calls).trials.size(), 10u);
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(search(12, calls).trials.size(), 12u);
  EXPECT_EQ(calls, 2);
}

TEST_F(SearchRunner, RefusesAFileFromAnotherSearch) {
  std::ofstream(path_) << R"({"search":{"space":"lr=1..2"}})"
                       << "\n";
  std::atomic<int> calls = 0;
  EXPECT_THROW(search(3, calls), std::runtime_error);
  EXPECT_EQ(calls, 0);
}

TEST_F(SearchRunner, PassesOnAnObjectivesError) {
  RandomSearch random(space_, 1, 5, 1);
  EXPECT_THROW(
      run_search(random, space_, [](int, const TrialPlan&) -> TrialRecord { throw std::runtime_error("boom"); },
                 {.workers = 2}),
      std::runtime_error);
}

}  // namespace
}  // namespace nnlab
