#include "nnlab/layers/sigmoid.h"

#include "layers/layer_checks.h"

namespace nnlab::test {

TEST(Sigmoid, MatchesPyTorchInFloat64) {
  Sigmoid<double> layer;
  expect_matches_reference(layer, layer_case("sigmoid"), 1e-10);
}

TEST(Sigmoid, MatchesPyTorchInFloat32) {
  Sigmoid<float> layer;
  expect_matches_reference(layer, layer_case("sigmoid"), 1e-5);
}

TEST(Sigmoid, GradientCheck) {
  Sigmoid<double> layer;
  expect_gradients_check(layer, Shape{4, 9});
}

TEST(Sigmoid, GradientCheckOnImageInput) {
  Sigmoid<double> layer;
  expect_gradients_check(layer, Shape{2, 3, 4, 4}, 7);
}

}  // namespace nnlab::test

namespace nnlab::test {

TEST(Sigmoid, StaysFiniteForLargeInputs) {
  Sigmoid<float> layer;
  Tensor<float> x(Shape{1, 4}, std::vector<float>{-1000.f, -50.f, 50.f, 1000.f});
  const Tensor<float>& y = layer.forward(x);
  EXPECT_EQ(y[0], 0.0f);
  EXPECT_NEAR(y[1], 1.9287e-22f, 1e-25f);
  EXPECT_EQ(y[2], 1.0f);
  EXPECT_EQ(y[3], 1.0f);
}

}  // namespace nnlab::test
