#include "nnlab/layers/tanh.h"

#include "layers/layer_checks.h"

namespace nnlab::test {

TEST(Tanh, MatchesPyTorchInFloat64) {
  Tanh<double> layer;
  expect_matches_reference(layer, layer_case("tanh"), 1e-10);
}

TEST(Tanh, MatchesPyTorchInFloat32) {
  Tanh<float> layer;
  expect_matches_reference(layer, layer_case("tanh"), 1e-5);
}

TEST(Tanh, GradientCheck) {
  Tanh<double> layer;
  expect_gradients_check(layer, Shape{4, 9});
}

TEST(Tanh, GradientCheckOnImageInput) {
  Tanh<double> layer;
  expect_gradients_check(layer, Shape{2, 3, 4, 4}, 7);
}

}  // namespace nnlab::test
