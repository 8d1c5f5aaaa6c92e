#include "nnlab/layers/relu.h"

#include "layers/layer_checks.h"

namespace nnlab::test {

TEST(ReLU, MatchesPyTorchInFloat64) {
  ReLU<double> layer;
  expect_matches_reference(layer, layer_case("relu"), 1e-10);
}

TEST(ReLU, MatchesPyTorchInFloat32) {
  ReLU<float> layer;
  expect_matches_reference(layer, layer_case("relu"), 1e-5);
}

TEST(ReLU, GradientCheck) {
  ReLU<double> layer;
  expect_gradients_check(layer, Shape{4, 9});
}

TEST(ReLU, GradientCheckOnImageInput) {
  ReLU<double> layer;
  expect_gradients_check(layer, Shape{2, 3, 4, 4}, 7);
}

}  // namespace nnlab::test
