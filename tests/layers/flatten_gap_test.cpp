#include "layers/layer_checks.h"
#include "nnlab/layers/flatten.h"
#include "nnlab/layers/global_avg_pool.h"
#include "nnlab/model/model_spec.h"

namespace nnlab::test {

TEST(GlobalAvgPool, MatchesPyTorchInFloat64) {
  GlobalAvgPool<double> layer;
  expect_matches_reference(layer, layer_case("global_avgpool"), 1e-10);
}

TEST(GlobalAvgPool, MatchesPyTorchInFloat32) {
  GlobalAvgPool<float> layer;
  expect_matches_reference(layer, layer_case("global_avgpool"), 1e-4);
}

TEST(GlobalAvgPool, GradientCheck) {
  GlobalAvgPool<double> layer;
  expect_gradients_check(layer, Shape{3, 4, 5, 6});
}

TEST(GlobalAvgPool, TakesAnyImageSize) {
  GlobalAvgPool<float> layer;
  EXPECT_EQ(layer.output_shape(Shape{8, 28, 28}), (Shape{8}));
  EXPECT_EQ(layer.output_shape(Shape{8, 1, 1}), (Shape{8}));
  EXPECT_THROW(layer.output_shape(Shape{8}), std::invalid_argument);
  EXPECT_THROW(layer.forward(Tensor<float>(Shape{2, 8})), std::invalid_argument);
  Tensor<float> x(Shape{2, 3, 4, 5}, 2.0f);
  EXPECT_EQ(layer.forward(x).shape(), (Shape{2, 3}));
  EXPECT_FLOAT_EQ(layer.forward(x)[5], 2.0f);
  const Tensor<float>& dx = layer.backward(Tensor<float>(Shape{2, 3}, 20.0f));
  EXPECT_EQ(dx.shape(), x.shape());
  EXPECT_FLOAT_EQ(dx[0], 1.0f);  // 20 / (4·5)
}

TEST(Flatten, GradientCheck) {
  Flatten<double> layer;
  expect_gradients_check(layer, Shape{3, 2, 3, 4});
}

TEST(Flatten, ReshapesAndKeepsTheOrder) {
  Flatten<float> layer;
  EXPECT_EQ(layer.output_shape(Shape{30, 12, 12}), (Shape{4320}));
  Tensor<float> x(Shape{2, 2, 1, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  const Tensor<float>& y = layer.forward(x);
  EXPECT_EQ(y.shape(), (Shape{2, 6}));
  EXPECT_EQ(std::vector<float>(y.begin(), y.end()), std::vector<float>(x.begin(), x.end()));
  const Tensor<float>& dx = layer.backward(y);
  EXPECT_EQ(dx.shape(), x.shape());
  EXPECT_EQ(std::vector<float>(dx.begin(), dx.end()), std::vector<float>(x.begin(), x.end()));
  EXPECT_THROW(layer.backward(Tensor<float>(Shape{2, 5})), std::invalid_argument);
}

TEST(GapModelSpec, TakesAnyImageSize) {
  // All-convolutional (ending in gap) and with a classifier after gap: neither depends on the image size.
  for (const std::string spec :
       {"conv:8x3:pad=1,relu,maxpool:2,conv:10x3,gap", "conv:8x3:pad=1,relu,maxpool:2,conv:16x3,relu,gap,linear:10"}) {
    for (const Shape& input : {Shape{1, 28, 28}, Shape{1, 32, 40}}) {
      SCOPED_TRACE(spec + " on " + input.str());
      Sequential<float> model = build_model<float>(spec, input);
      EXPECT_EQ(model.output_shape(), (Shape{10}));
      Rng rng(1);
      model.initialize(Initializer::he_normal(), rng);
      Tensor<float> x(input.with_batch(3));
      for (float& v : x) v = static_cast<float>(rng.normal());
      EXPECT_EQ(model.forward(x).shape(), (Shape{3, 10}));
      model.backward(Tensor<float>(Shape{3, 10}, 1.0f));
      for (auto& p : model.parameters()) EXPECT_EQ(p.grad->size(), p.value->size()) << p.name;
    }
  }
  EXPECT_EQ(build_model<float>("conv:8x3:pad=1,relu,maxpool:2,conv:16x3,relu,gap,linear:10", Shape{1, 28, 28}).spec(),
            "conv:8x3x3:pad=1,relu,maxpool:2,conv:16x3x3,relu,gap,linear:10");
  // The same layers take other image sizes without being rebuilt.
  Sequential<float> model = build_model<float>("conv:8x3:pad=1,relu,maxpool:2,conv:10x3,gap", Shape{1, 28, 28});
  EXPECT_EQ(model[4].output_shape(Shape{10, 14, 18}), (Shape{10}));
  EXPECT_EQ(model[0].forward(Tensor<float>(Shape{2, 1, 32, 40})).shape(), (Shape{2, 8, 32, 40}));
}

TEST(ModelSpecFlatten, BuildsFlattenAndGap) {
  Sequential<double> model = build_model<double>("conv:2x3,flatten,linear:4", Shape{1, 5, 5});
  EXPECT_EQ(model[1].type(), "Flatten");
  EXPECT_EQ(model[1].output_shape(Shape{2, 3, 3}), (Shape{18}));
  EXPECT_EQ(model.spec(), "conv:2x3x3,flatten,linear:4");
  EXPECT_EQ(build_model<double>("gap", Shape{3, 4, 4}).output_shape(), (Shape{3}));
  EXPECT_THROW(build_model<double>("gap", Shape{48}), std::invalid_argument);
  EXPECT_THROW(build_model<double>("flatten:2", Shape{48}), std::invalid_argument);
}

}  // namespace nnlab::test
