// nnlab experiment decision-boundary and regression as a user runs them: charts, data, summary.

#include <cstdio>
#include <string>

#include "cli/cli_runner.h"
#include "report/svg_check.h"

namespace nnlab::test {

class CliToyExperiments : public CliRunner {};

TEST_F(CliToyExperiments, DecisionBoundaryDrawsEachNetworkOnEachToy) {
  const auto out = dir_ / "boundary";
  const CliResult r =
      run("experiment decision-boundary --epochs 8 --datasets xor,spirals --threads 1 --out " + out.string());
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string svg = slurp(out / "decision_boundary.svg");
  EXPECT_EQ(xml_problem(svg), "");
  const auto labels = texts(svg);
  for (const char* title : {"xor · no hidden layer", "spirals · 2 hidden layers of 64"}) {
    bool found = false;
    for (const auto& label : labels) found = found || label.rfind(title, 0) == 0;
    EXPECT_TRUE(found) << title;
  }
  const std::string epochs = slurp(out / "decision_boundary_epochs.svg");
  EXPECT_EQ(xml_problem(epochs), "");
  EXPECT_EQ(count_of(texts(epochs), "after epoch 8 of 8"), 1);

  const std::string csv = slurp(out / "decision_boundary.csv");
  EXPECT_EQ(csv.rfind("dataset,model,spec,train_accuracy,test_accuracy,seconds\n", 0), 0u) << csv;
  EXPECT_EQ(lines(csv), 1 + 2 * 3);
  // The xor row: no hidden layer near chance, two layers near perfect.
  double none = 0, one = 0, two = 0;
  const size_t at = r.out.find("\nxor");
  ASSERT_NE(at, std::string::npos) << r.out;
  ASSERT_EQ(std::sscanf(r.out.c_str() + at, "\nxor %lf %lf %lf", &none, &one, &two), 3) << r.out;
  EXPECT_LT(none, 0.75) << r.out;
  EXPECT_GT(two, 0.9) << r.out;
  EXPECT_NE(r.out.find("lesson: "), std::string::npos);
}

TEST_F(CliToyExperiments, DecisionBoundaryRefusesAToyThatIsNotAClassification) {
  const CliResult r = run("experiment decision-boundary --datasets sine --out " + (dir_ / "x").string());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("sine"), std::string::npos) << r.err;
  EXPECT_EQ(lines(r.err), 1) << r.err;
}

TEST_F(CliToyExperiments, RegressionFitsTheSineAndClassifiesItsSign) {
  const auto out = dir_ / "regression";
  const CliResult r = run("experiment regression --epochs 20 --threads 1 --out " + out.string());
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string svg = slurp(out / "regression.svg");
  EXPECT_EQ(xml_problem(svg), "");
  const auto labels = texts(svg);
  EXPECT_EQ(count_of(labels, "regression: identity output + MSE predicts y"), 1);
  EXPECT_EQ(count_of(labels, "classification: softmax + cross-entropy predicts P(y &gt; 0)"), 1);
  const std::string curves = slurp(out / "regression_curves.csv");
  EXPECT_EQ(curves.rfind("x,sin_x,regression_epoch_1,regression_epoch_5,regression_epoch_20,classification_epoch_1,"
                         "classification_epoch_5,classification_epoch_20\n",
                         0),
            0u)
      << curves.substr(0, 200);
  EXPECT_EQ(lines(curves), 1 + 121);
  EXPECT_EQ(lines(slurp(out / "regression_losses.csv")), 1 + 20);
  double r2 = 0, accuracy = 0;
  const size_t at_r2 = r.out.find("R² ");
  const size_t at_accuracy = r.out.find("test accuracy ");
  ASSERT_NE(at_r2, std::string::npos) << r.out;
  ASSERT_NE(at_accuracy, std::string::npos) << r.out;
  ASSERT_EQ(std::sscanf(r.out.c_str() + at_r2, "R² %lf", &r2), 1);
  ASSERT_EQ(std::sscanf(r.out.c_str() + at_accuracy, "test accuracy %lf", &accuracy), 1);
  EXPECT_GT(r2, 0.8) << r.out;
  EXPECT_GT(accuracy, 0.85) << r.out;
}

}  // namespace nnlab::test
