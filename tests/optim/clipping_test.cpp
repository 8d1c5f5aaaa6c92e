#include "nnlab/optim/clipping.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>

namespace nnlab::test {
namespace {

// Gradients (3, 4) and (12): global norm √(9 + 16 + 144) = 13.
template <typename T>
struct TwoGradients {
  Tensor<T> w1{Shape{2}}, g1{Shape{2}, std::vector<T>{3, 4}};
  Tensor<T> w2{Shape{1, 1}}, g2{Shape{1, 1}, std::vector<T>{12}};
  std::vector<Parameter<T>> parameters() { return {{"weight", &w1, &g1, true}, {"bias", &w2, &g2, false}}; }
};

TEST(ClipGradNorm, ScalesEveryGradientByOneFactor) {
  TwoGradients<double> p;
  EXPECT_DOUBLE_EQ(clip_grad_norm(p.parameters(), 6.5), 13.0);
  const double scale = 6.5 / (13.0 + 1e-6);
  EXPECT_DOUBLE_EQ(p.g1[0], 3 * scale);
  EXPECT_DOUBLE_EQ(p.g1[1], 4 * scale);
  EXPECT_DOUBLE_EQ(p.g2[0], 12 * scale);
  const double clipped = std::sqrt(p.g1[0] * p.g1[0] + p.g1[1] * p.g1[1] + p.g2[0] * p.g2[0]);
  EXPECT_LT(clipped, 6.5);
  EXPECT_NEAR(clipped, 6.5, 1e-6);
}

TEST(ClipGradNorm, LeavesSmallGradientsAlone) {
  TwoGradients<double> p;
  EXPECT_DOUBLE_EQ(clip_grad_norm(p.parameters(), 20.0), 13.0);
  EXPECT_EQ(p.g1[0], 3.0);
  EXPECT_EQ(p.g1[1], 4.0);
  EXPECT_EQ(p.g2[0], 12.0);
}

TEST(ClipGradNorm, ScalesAtTheLimitLikePyTorch) {
  // PyTorch scales whenever max_norm / (norm + 1e-6) < 1, so a norm equal to max_norm shrinks a little.
  TwoGradients<double> p;
  clip_grad_norm(p.parameters(), 13.0);
  EXPECT_DOUBLE_EQ(p.g2[0], 12 * 13.0 / (13.0 + 1e-6));
}

TEST(ClipGradNorm, FloatGradients) {
  TwoGradients<float> p;
  EXPECT_NEAR(clip_grad_norm(p.parameters(), 1.3), 13.0, 1e-12);
  EXPECT_NEAR(p.g1[0], 0.3f, 1e-6);
  EXPECT_NEAR(p.g1[1], 0.4f, 1e-6);
  EXPECT_NEAR(p.g2[0], 1.2f, 1e-6);
}

TEST(ClipGradNorm, NonFiniteNormIsReportedAndGradientsKept) {
  TwoGradients<double> p;
  p.g1[0] = std::numeric_limits<double>::infinity();
  EXPECT_TRUE(std::isinf(clip_grad_norm(p.parameters(), 1.0)));
  EXPECT_EQ(p.g1[1], 4.0);
  EXPECT_EQ(p.g2[0], 12.0);
}

TEST(ClipGradNorm, RejectsANonPositiveLimit) {
  TwoGradients<double> p;
  EXPECT_THROW(clip_grad_norm(p.parameters(), 0.0), std::invalid_argument);
  EXPECT_THROW(clip_grad_norm(p.parameters(), std::nan("")), std::invalid_argument);
}

TEST(ClipGradValue, ClampsEachValue) {
  Tensor<float> w(Shape{4}), g(Shape{4}, std::vector<float>{-3.0f, 0.5f, 2.0f, -1.0f});
  std::vector<Parameter<float>> parameters = {{"weight", &w, &g, true}};
  clip_grad_value(parameters, 1.0);
  EXPECT_EQ(g[0], -1.0f);
  EXPECT_EQ(g[1], 0.5f);
  EXPECT_EQ(g[2], 1.0f);
  EXPECT_EQ(g[3], -1.0f);
  EXPECT_THROW(clip_grad_value(parameters, -1.0), std::invalid_argument);
}

}  // namespace
}  // namespace nnlab::test
