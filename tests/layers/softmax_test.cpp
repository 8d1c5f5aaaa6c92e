#include "nnlab/layers/softmax.h"

#include "layers/layer_checks.h"

namespace nnlab::test {

TEST(Softmax, MatchesPyTorchInFloat64) {
  Softmax<double> layer;
  expect_matches_reference(layer, layer_case("softmax"), 1e-10);
}

TEST(Softmax, MatchesPyTorchInFloat32) {
  Softmax<float> layer;
  expect_matches_reference(layer, layer_case("softmax"), 1e-5);
}

TEST(Softmax, GradientCheck) {
  Softmax<double> layer;
  expect_gradients_check(layer, Shape{4, 9});
}

TEST(Softmax, GradientCheckOnImageInput) {
  Softmax<double> layer;
  expect_gradients_check(layer, Shape{2, 3, 4, 4}, 7);
}

}  // namespace nnlab::test

namespace nnlab::test {

TEST(Softmax, RowsSumToOneEvenForHugeLogits) {
  Softmax<float> layer;
  Tensor<float> x(Shape{2, 3}, std::vector<float>{1000.f, 1001.f, 1002.f, -5.f, 0.f, 5.f});
  const Tensor<float>& y = layer.forward(x);
  EXPECT_NEAR(y[0] + y[1] + y[2], 1.0f, 1e-6f);
  EXPECT_NEAR(y[2], 0.66524096f, 1e-6f);  // e² / (1 + e + e²)
  EXPECT_NEAR(y[3] + y[4] + y[5], 1.0f, 1e-6f);
}

}  // namespace nnlab::test
