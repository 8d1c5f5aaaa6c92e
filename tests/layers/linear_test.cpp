#include "nnlab/layers/linear.h"

#include "layers/layer_checks.h"

namespace nnlab::test {

TEST(Linear, MatchesPyTorchInFloat64) {
  Linear<double> layer(6, 3);
  expect_matches_reference(layer, layer_case("linear"), 1e-10);
}

TEST(Linear, MatchesPyTorchInFloat32) {
  Linear<float> layer(6, 3);
  expect_matches_reference(layer, layer_case("linear"), 1e-5);
}

TEST(Linear, GradientCheck) {
  Linear<double> layer(7, 4);
  expect_gradients_check(layer, Shape{5, 7});
}

TEST(Linear, GradientCheckWithoutBiasOnImageInput) {
  Linear<double> layer(12, 3, /*bias=*/false);
  expect_gradients_check(layer, Shape{2, 3, 2, 2});
  EXPECT_EQ(layer.parameters().size(), 1u);
}

TEST(Linear, FlattensImageInputAndKeepsItsShapeInTheGradient) {
  Linear<double> layer(4, 2);
  Tensor<double> x(Shape{3, 1, 2, 2}, 1.0);
  layer.weight().fill(0.5);
  layer.bias().fill(1.0);
  const Tensor<double>& y = layer.forward(x);
  EXPECT_EQ(y.shape(), (Shape{3, 2}));
  EXPECT_DOUBLE_EQ(y[0], 3.0);  // 4 · 0.5 · 1 + 1
  EXPECT_EQ(layer.backward(Tensor<double>(Shape{3, 2}, 1.0)).shape(), x.shape());
}

TEST(Linear, RejectsWrongInputSize) {
  Linear<float> layer(6, 3);
  EXPECT_THROW(layer.forward(Tensor<float>(Shape{2, 5})), std::invalid_argument);
  EXPECT_THROW(layer.output_shape(Shape{5}), std::invalid_argument);
  EXPECT_THROW(Linear<float>(0, 3), std::invalid_argument);
}

TEST(Linear, DoesNotReallocateForTheSameOrSmallerBatch) {
  Linear<float> layer(6, 3);
  Tensor<float> big(Shape{8, 6}, 1.0f);
  Tensor<float> small(Shape{4, 6}, 1.0f);
  const float* first = layer.forward(big).data();
  EXPECT_EQ(layer.forward(small).data(), first);
  EXPECT_EQ(layer.forward(big).data(), first);
}

TEST(Linear, SkipsTheInputGradientWhenNotNeeded) {
  Linear<float> layer(6, 3);
  layer.set_needs_input_grad(false);
  Tensor<float> x(Shape{2, 6}, 1.0f);
  layer.forward(x);
  EXPECT_EQ(layer.backward(Tensor<float>(Shape{2, 3}, 1.0f)).size(), 0);
  EXPECT_FLOAT_EQ(layer.parameters()[1].grad->data()[0], 2.0f);  // bias gradient still computed
}

}  // namespace nnlab::test
