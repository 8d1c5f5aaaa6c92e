#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "nnlab/experiments/regression.h"
#include "nnlab/kernels/threads.h"

namespace nnlab {
namespace {

TEST(RegressionExperiment, TheSameHiddenLayersFitTheValueAndTheClass) {
  const ThreadScope threads(1);
  RegressionSettings s;
  s.epochs = 30;
  s.curve_points = 31;
  const RegressionStudy study = learn_regression(s);
  EXPECT_EQ(study.regression.spec, "linear:32,relu,linear:32,relu,linear:1");
  EXPECT_EQ(study.classification.spec, "linear:32,relu,linear:32,relu,linear:2");
  // Noise of std 0.2 leaves an MSE of 0.04 to a perfect fit; sin(x) itself explains ~90% of y.
  EXPECT_LT(study.regression.test.mse, 0.06);
  EXPECT_GT(study.regression.test.r2, 0.85);
  EXPECT_GT(study.classification.test.accuracy, 0.85);
  ASSERT_EQ(study.regression.curves.size(), 3u);  // epochs 1, 5 and 30
  EXPECT_EQ(study.regression.curves[1].epoch, 5);
  EXPECT_EQ(study.regression.curves[2].epoch, 30);
  ASSERT_EQ(study.xs.size(), 31u);
  const auto& fit = study.regression.curves.back().ys;
  const auto& probability = study.classification.curves.back().ys;
  for (size_t i = 0; i < study.xs.size(); ++i) {
    EXPECT_NEAR(fit[i], std::sin(study.xs[i]), 0.3) << study.xs[i];
    EXPECT_GE(probability[i], 0);
    EXPECT_LE(probability[i], 1);
    // Far from the zeros of sin, the classifier is sure of the side.
    if (std::sin(study.xs[i]) > 0.5) {
      EXPECT_GT(probability[i], 0.8) << study.xs[i];
    }
    if (std::sin(study.xs[i]) < -0.5) {
      EXPECT_LT(probability[i], 0.2) << study.xs[i];
    }
  }
  ASSERT_EQ(study.regression.train_loss.size(), 30u);
  ASSERT_EQ(study.classification.test_loss.size(), 30u);
  EXPECT_LT(study.regression.test_loss.back(), study.regression.test_loss.front());
  EXPECT_NEAR(study.regression.test_loss.back(), study.regression.test.mse, 1e-6);
}

TEST(RegressionExperiment, LabelsAreWhetherTheTargetIsAboveZero) {
  Dataset d;
  d.x = Tensor<float>(Shape{3, 1}, {0, 1, 2});
  d.y = Tensor<float>(Shape{3, 1}, {-0.5f, 0.25f, 0.0f});
  const Dataset labelled = above_zero_labels(d);
  EXPECT_EQ(labelled.num_classes, 2);
  EXPECT_EQ(labelled.y.shape(), Shape{3});
  EXPECT_EQ(labelled.y[0], 0);
  EXPECT_EQ(labelled.y[1], 1);
  EXPECT_EQ(labelled.y[2], 0);
}

TEST(RegressionExperiment, RefusesSettingsWithNothingToDraw) {
  RegressionSettings s;
  s.epochs = 0;
  EXPECT_THROW(learn_regression(s), std::invalid_argument);
  s = RegressionSettings{};
  s.curve_points = 1;
  EXPECT_THROW(learn_regression(s), std::invalid_argument);
}

}  // namespace
}  // namespace nnlab
