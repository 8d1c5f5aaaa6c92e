// nnlab experiment filters as a user runs it: the chart, the data and the summary.

#include <cstdio>
#include <filesystem>
#include <sstream>
#include <string>

#include "cli/cli_runner.h"
#include "report/svg_check.h"

namespace nnlab::test {

class CliFilters : public CliRunner {};

TEST_F(CliFilters, OneEpochWritesTheFiltersBeforeAndAfterAndTheyGetSmoother) {
  const auto out = dir_ / "filters";
  const CliResult r = run("experiment filters --epochs 1 --threads 2 --out " + out.string());
  ASSERT_EQ(r.code, 0) << r.err;

  const std::string svg = slurp(out / "filters.svg");
  EXPECT_EQ(xml_problem(svg), "");
  // 60 filters of 25 cells, a frame each, the background.
  EXPECT_EQ(elements(svg, "rect").size(), 60u * 25u + 60u + 1u);
  const auto labels = texts(svg);
  EXPECT_EQ(count_of(labels, "before"), 1);
  EXPECT_EQ(count_of(labels, "after"), 1);

  const std::string csv = slurp(out / "filters.csv");
  EXPECT_EQ(csv.rfind("filter,row,col,before,after\n", 0), 0u) << csv.substr(0, 80);
  EXPECT_EQ(lines(csv), 30 * 25 + 1);
  EXPECT_EQ(lines(slurp(out / "filter_roughness.csv")), 30 + 1);

  double accuracy = 0, before = 0, after = 0;
  const size_t at_accuracy = r.out.find("test accuracy ");
  const size_t at_roughness = r.out.find("noise ≈ 1.41): ");
  ASSERT_NE(at_accuracy, std::string::npos) << r.out;
  ASSERT_NE(at_roughness, std::string::npos) << r.out;
  ASSERT_EQ(std::sscanf(r.out.c_str() + at_accuracy, "test accuracy %lf", &accuracy), 1) << r.out;
  ASSERT_EQ(std::sscanf(r.out.c_str() + at_roughness + std::string("noise ≈ 1.41): ").size(), "%lf before → %lf",
                        &before, &after),
            2)
      << r.out;
  EXPECT_GT(accuracy, 0.8) << r.out;
  EXPECT_GT(before, 1.2) << r.out;  // noise
  EXPECT_LT(after, 0.7 * before) << r.out;
  EXPECT_NE(r.out.find("smooth filters (roughness < 1): "), std::string::npos) << r.out;
}

TEST_F(CliFilters, HelpNamesTheFlagsAndBadEpochsAreOneLine) {
  const CliResult help = run("experiment filters --help");
  EXPECT_EQ(help.code, 0);
  for (const char* flag : {"--epochs", "--seed", "--threads", "--data", "--out"}) {
    EXPECT_NE(help.out.find(flag), std::string::npos) << flag;
  }
  const CliResult bad = run("experiment filters --epochs 0 --out " + (dir_ / "x").string());
  EXPECT_EQ(bad.code, 2);
  EXPECT_EQ(lines(bad.err), 1) << bad.err;
  EXPECT_NE(bad.err.find("--epochs"), std::string::npos) << bad.err;
}

}  // namespace nnlab::test
