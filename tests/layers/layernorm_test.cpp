#include "nnlab/layers/layernorm.h"

#include <cmath>

#include "layers/layer_checks.h"
#include "nnlab/model/model_spec.h"

namespace nnlab::test {

TEST(LayerNorm, MatchesPyTorchInFloat64) {
  LayerNorm<double> layer(6);
  expect_matches_reference(layer, layer_case("layernorm"), 1e-10);
}

TEST(LayerNorm, MatchesPyTorchInFloat32) {
  LayerNorm<float> layer(6);
  expect_matches_reference(layer, layer_case("layernorm"), 1e-4);
}

TEST(LayerNorm, GradientCheckDense) {
  LayerNorm<double> layer(7);
  expect_gradients_check(layer, Shape{4, 7});
}

TEST(LayerNorm, GradientCheckImageOverTheWholeSample) {
  LayerNorm<double> layer(2 * 3 * 4);
  expect_gradients_check(layer, Shape{3, 2, 3, 4});
}

TEST(LayerNorm, GradientCheckBatchOfOne) {
  LayerNorm<double> layer(5);
  expect_gradients_check(layer, Shape{1, 5}, /*seed=*/3);
}

TEST(LayerNorm, NormalisesEachSampleOnItsOwn) {
  LayerNorm<double> layer(10);
  Rng rng(1);
  Tensor<double> x(Shape{3, 10});
  for (int64_t i = 0; i < x.size(); ++i) x[i] = static_cast<double>(i / 10) * 100 + rng.normal();
  const Tensor<double>& y = layer.forward(x);
  for (int64_t r = 0; r < 3; ++r) {
    double sum = 0, squares = 0, x_sum = 0, x_squares = 0;
    for (int64_t j = 0; j < 10; ++j) x_sum += x.row(r)[j];
    for (int64_t j = 0; j < 10; ++j) {
      sum += y.row(r)[j];
      squares += y.row(r)[j] * y.row(r)[j];
      x_squares += (x.row(r)[j] - x_sum / 10) * (x.row(r)[j] - x_sum / 10);
    }
    const double var = x_squares / 10;  // biased
    EXPECT_NEAR(sum / 10, 0.0, 1e-12);
    EXPECT_NEAR(squares / 10, var / (var + 1e-5), 1e-12);
  }
}

TEST(LayerNorm, SameInTrainingAndEval) {
  LayerNorm<float> layer(6);
  Rng rng(2);
  for (float& g : layer.gamma()) g = static_cast<float>(rng.normal());
  for (float& b : layer.beta()) b = static_cast<float>(rng.normal());
  Tensor<float> x(Shape{4, 6});
  for (float& v : x) v = static_cast<float>(rng.normal());
  const Tensor<float> train = layer.forward(x);
  layer.set_training(false);
  const Tensor<float>& eval = layer.forward(x);
  for (int64_t i = 0; i < x.size(); ++i) EXPECT_EQ(train[i], eval[i]);
}

TEST(LayerNorm, InitializeSetsScaleOneShiftZero) {
  LayerNorm<float> layer(4);
  Rng rng(0);
  layer.gamma().fill(2.0f);
  layer.beta().fill(2.0f);
  layer.initialize(Initializer::he_normal(), rng);
  for (int64_t j = 0; j < 4; ++j) {
    EXPECT_EQ(layer.gamma()[j], 1.0f);
    EXPECT_EQ(layer.beta()[j], 0.0f);
  }
  const auto params = layer.parameters();
  ASSERT_EQ(params.size(), 2u);
  EXPECT_EQ(params[0].name, "weight");
  EXPECT_EQ(params[1].name, "bias");
  EXPECT_FALSE(params[0].decay);
  EXPECT_FALSE(params[1].decay);
}

TEST(LayerNorm, RejectsBadSettingsAndShapes) {
  EXPECT_THROW(LayerNorm<float>(0), std::invalid_argument);
  EXPECT_THROW(LayerNorm<float>(4, -1.0), std::invalid_argument);
  LayerNorm<float> layer(4);
  EXPECT_THROW(layer.forward(Tensor<float>(Shape{2, 5})), std::invalid_argument);
  EXPECT_THROW(layer.output_shape(Shape{5}), std::invalid_argument);
  EXPECT_EQ(layer.output_shape(Shape{1, 2, 2}), (Shape{1, 2, 2}));
  EXPECT_THROW(layer.backward(Tensor<float>(Shape{2, 4})), std::logic_error);
  layer.forward(Tensor<float>(Shape{2, 4}, 1.0f));
  EXPECT_THROW(layer.backward(Tensor<float>(Shape{3, 4})), std::invalid_argument);
}

TEST(LayerNorm, DoesNotReallocateForTheSameOrSmallerBatch) {
  LayerNorm<float> layer(6);
  Tensor<float> big(Shape{8, 6}, 1.0f), small(Shape{4, 6}, 2.0f);
  const float* y = layer.forward(big).data();
  const float* dx = layer.backward(big).data();
  EXPECT_EQ(layer.forward(small).data(), y);
  EXPECT_EQ(layer.backward(small).data(), dx);
  EXPECT_EQ(layer.forward(big).data(), y);
}

TEST(LayerNorm, SpecInfersTheSampleSize) {
  Sequential<float> model = build_model<float>("layernorm,linear:4,layernorm:eps=0.001", Shape{2, 3, 3});
  EXPECT_EQ(dynamic_cast<const LayerNorm<float>&>(model[0]).normalized_size(), 18);
  EXPECT_EQ(dynamic_cast<const LayerNorm<float>&>(model[2]).normalized_size(), 4);
  EXPECT_EQ(dynamic_cast<const LayerNorm<float>&>(model[2]).eps(), 0.001);
  EXPECT_EQ(model.spec(), "layernorm,linear:4,layernorm:eps=0.001");
  EXPECT_EQ(model.parameters()[0].name, "0.weight");
  EXPECT_EQ(model.parameters()[0].value->shape(), (Shape{2, 3, 3}));  // as nn.LayerNorm([2, 3, 3])
  EXPECT_EQ(model.parameters()[4].value->shape(), (Shape{4}));
  EXPECT_TRUE(model.buffers().empty());
}

TEST(LayerNorm, SpecNamesTheBadPart) {
  const std::string bad = spec_error("layernorm:eps=x", Shape{3});
  EXPECT_NE(bad.find("'layernorm:eps=x'"), std::string::npos) << bad;
  EXPECT_NE(bad.find("eps 'x' is not a number"), std::string::npos) << bad;
  EXPECT_NE(spec_error("layernorm:eps=-1", Shape{3}).find("eps must be"), std::string::npos);
  EXPECT_NE(spec_error("layernorm:4", Shape{3}).find("too many values"), std::string::npos);
  EXPECT_NE(spec_error("layernorm:momentum=0.1", Shape{3}).find("unknown option"), std::string::npos);
  EXPECT_NE(spec_error("layernorm:init=he", Shape{3}).find("takes no init"), std::string::npos);
}

}  // namespace nnlab::test
