// nnlab search as a user runs it: a tiny search writes its files and ranking,
// starting it again resumes, and a bad --space is one line with exit code 2.

#include <filesystem>
#include <string>

#include "cli/cli_runner.h"
#include "test_util.h"

namespace nnlab::test {

class CliSearch : public CliRunner {};

TEST_F(CliSearch, TinySearchWritesRankingFilesAndResumes) {
  const std::string out = (dir_ / "search").string();
  const std::string args =
      "search --space \"lr=1e-3..1e-1:log,weight_decay=1e-8..1e-4:log\" --trials 4 --epochs 2 "
      "--hidden 16,16 --train-size 200 --workers 2 --threads 2 --out " +
      out;
  const CliResult r = run(args);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Best-1 (val acc: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("| lr: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("weight decay: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("next round (top 4): --space \"lr="), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("test accuracy of Best-1"), std::string::npos) << r.out;
  for (const char* file : {"trials.jsonl", "trials.csv", "trials.json", "search_curves.svg", "search_scatter.svg",
                           "suggested_space.txt"}) {
    EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(out) / file)) << file;
  }
  EXPECT_EQ(lines(slurp(std::filesystem::path(out) / "trials.csv")), 5);
  EXPECT_EQ(lines(slurp(std::filesystem::path(out) / "trials.jsonl")), 5);

  // Started again with more trials: the four finished ones are loaded, two more run.
  const CliResult again = run(std::string(args).replace(args.find("--trials 4"), 10, "--trials 6"));
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_NE(again.out.find("6 trials (4 resumed"), std::string::npos) << again.out;
  EXPECT_EQ(lines(slurp(std::filesystem::path(out) / "trials.jsonl")), 7);
}

TEST_F(CliSearch, BadSpaceIsOneLineNamingThePart) {
  CliResult r = run("search --space \"lr=1e-6..1e-2:cubic\" --out " + (dir_ / "x").string());
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("--space"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("cubic"), std::string::npos) << r.err;
  r = run("search --space \"colour=1..2\" --out " + (dir_ / "x").string());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("cannot search 'colour'"), std::string::npos) << r.err;
}

}  // namespace nnlab::test
