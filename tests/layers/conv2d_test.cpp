#include "nnlab/layers/conv2d.h"

#include <cmath>

#include "layers/layer_checks.h"
#include "nnlab/kernels/im2col.h"
#include "nnlab/kernels/threads.h"
#include "nnlab/layers/linear.h"
#include "nnlab/model/model_spec.h"

namespace nnlab::test {

namespace {
nlohmann::json conv_case(int stride, int padding) {
  return layer_case("conv2d", {{"stride", stride}, {"padding", padding}});
}

}  // namespace

TEST(Conv2d, MatchesPyTorchInFloat64) {
  Conv2d<double> plain(2, 3, 3, 3);
  expect_matches_reference(plain, conv_case(1, 0), 1e-10);
  Conv2d<double> strided(2, 3, 3, 3, /*stride=*/2, /*padding=*/1);
  expect_matches_reference(strided, conv_case(2, 1), 1e-10);
}

TEST(Conv2d, MatchesPyTorchInFloat32) {
  Conv2d<float> plain(2, 3, 3, 3);
  expect_matches_reference(plain, conv_case(1, 0), 1e-4);
  Conv2d<float> strided(2, 3, 3, 3, /*stride=*/2, /*padding=*/1);
  expect_matches_reference(strided, conv_case(2, 1), 1e-4);
}

TEST(Conv2d, GradientCheck) {
  Conv2d<double> layer(2, 3, 3, 3);
  expect_gradients_check(layer, Shape{2, 2, 7, 6});
}

TEST(Conv2d, GradientCheckStridedAndPadded) {
  Conv2d<double> layer(3, 2, 3, 3, /*stride=*/2, /*padding=*/1);
  expect_gradients_check(layer, Shape{3, 3, 7, 8}, 2);
}

TEST(Conv2d, GradientCheckNonSquareKernel) {
  Conv2d<double> layer(2, 4, 2, 3, /*stride=*/1, /*padding=*/1);
  expect_gradients_check(layer, Shape{2, 2, 5, 6}, 3);
  Conv2d<double> tall(1, 2, 4, 1, /*stride=*/3, /*padding=*/0);
  expect_gradients_check(tall, Shape{2, 1, 9, 5}, 4);
}

TEST(Conv2d, GradientCheckWithoutBias) {
  Conv2d<double> layer(2, 3, 3, 2, /*stride=*/2, /*padding=*/0, /*bias=*/false);
  expect_gradients_check(layer, Shape{3, 2, 6, 7}, 5);
  ASSERT_EQ(layer.parameters().size(), 1u);
  EXPECT_EQ(layer.parameters()[0].name, "weight");
}

TEST(Conv2d, GradientCheckPaddingWiderThanTheKernel) {
  Conv2d<double> layer(1, 2, 3, 3, /*stride=*/2, /*padding=*/3);
  expect_gradients_check(layer, Shape{2, 1, 4, 5}, 6);
}

TEST(Conv2d, OutputSizeAndParameters) {
  Conv2d<float> layer(1, 30, 5, 5);
  EXPECT_EQ(layer.output_shape(Shape{1, 28, 28}), (Shape{30, 24, 24}));
  auto params = layer.parameters();
  ASSERT_EQ(params.size(), 2u);
  EXPECT_EQ(params[0].name, "weight");
  EXPECT_EQ(params[0].value->shape(), (Shape{30, 1, 5, 5}));
  EXPECT_EQ(params[1].name, "bias");
  EXPECT_FALSE(params[1].decay);
  Conv2d<float> strided(3, 8, 3, 2, /*stride=*/2, /*padding=*/1);
  // (7 + 2 − 3)/2 + 1 = 4,  (8 + 2 − 2)/2 + 1 = 5
  EXPECT_EQ(strided.output_shape(Shape{3, 7, 8}), (Shape{8, 4, 5}));
  EXPECT_EQ(strided.spec(), "conv:8x3x2:stride=2:pad=1");
  EXPECT_EQ(Conv2d<float>(1, 4, 3, 3, 1, 0, false).spec(), "conv:4x3x3:bias=false");
}

TEST(Conv2d, RejectsBadSizesNamingTheLayer) {
  Conv2d<float> layer(2, 3, 5, 5);
  const auto expect_message = [](auto call) {
    try {
      call();
      ADD_FAILURE() << "no exception";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("Conv2d"), std::string::npos) << e.what();
    }
  };
  expect_message([&] { layer.output_shape(Shape{2, 4, 9}); });  // smaller than the kernel
  expect_message([&] { layer.output_shape(Shape{3, 9, 9}); });  // wrong channel count
  expect_message([&] { layer.output_shape(Shape{162}); });      // not an image
  expect_message([&] { layer.forward(Tensor<float>(Shape{1, 2, 4, 4})); });
  expect_message([&] { layer.forward(Tensor<float>(Shape{1, 50})); });
  expect_message([] { Conv2d<float>(0, 3, 3, 3); });
  expect_message([] { Conv2d<float>(1, 3, 3, 3, 0); });
  expect_message([] { Conv2d<float>(1, 3, 3, 3, 1, -1); });
  // 3 + 2·1 ≥ 5: with padding the window fits.
  EXPECT_EQ(Conv2d<float>(2, 3, 5, 5, 1, 1).output_shape(Shape{2, 3, 3}), (Shape{3, 1, 1}));
}

TEST(Conv2d, InitializesWithConvolutionFans) {
  Conv2d<double> layer(4, 8, 3, 5);
  Rng rng(7);
  // he-uniform: U(±√(6/fan_in)), fan_in = 4·3·5 = 60
  layer.bias().fill(1.0);
  layer.initialize(Initializer::he_uniform(), rng);
  const double bound = std::sqrt(6.0 / 60.0);
  double largest = 0;
  for (double w : layer.weight()) largest = std::max(largest, std::abs(w));
  EXPECT_LE(largest, bound);
  EXPECT_GT(largest, 0.95 * bound);
  for (double b : layer.bias()) EXPECT_EQ(b, 0.0);
  // xavier-uniform: U(±√(6/(fan_in + fan_out))), fan_out = 8·3·5 = 120
  layer.initialize(Initializer::xavier_uniform(), rng);
  const double xavier = std::sqrt(6.0 / 180.0);
  largest = 0;
  for (double w : layer.weight()) largest = std::max(largest, std::abs(w));
  EXPECT_LE(largest, xavier);
  EXPECT_GT(largest, 0.95 * xavier);
}

TEST(Conv2d, DoesNotReallocateForTheSameOrSmallerBatch) {
  Conv2d<float> layer(1, 4, 3, 3, 1, 1);
  Tensor<float> big(Shape{8, 1, 10, 10}, 1.0f);
  Tensor<float> small(Shape{3, 1, 10, 10}, 1.0f);
  const float* y = layer.forward(big).data();
  const float* dx = layer.backward(Tensor<float>(Shape{8, 4, 10, 10}, 1.0f)).data();
  EXPECT_EQ(layer.forward(small).data(), y);
  EXPECT_EQ(layer.backward(Tensor<float>(Shape{3, 4, 10, 10}, 1.0f)).data(), dx);
  EXPECT_EQ(layer.forward(big).data(), y);
}

TEST(Conv2d, SkipsTheInputGradientWhenNotNeeded) {
  Conv2d<float> layer(1, 2, 3, 3);
  layer.set_needs_input_grad(false);
  Tensor<float> x(Shape{2, 1, 5, 5}, 1.0f);
  layer.forward(x);
  EXPECT_EQ(layer.backward(Tensor<float>(Shape{2, 2, 3, 3}, 1.0f)).size(), 0);
  EXPECT_FLOAT_EQ((*layer.parameters()[0].grad)[0], 18.0f);  // Σ over 2 samples × 3×3 outputs of 1·1
  EXPECT_FLOAT_EQ((*layer.parameters()[1].grad)[0], 18.0f);
}

TEST(Conv2d, SameResultWithOneAndTwoThreadsToTheBit) {
  Rng rng(11);
  // Large enough to be shared between threads (tiny convolutions stay on one).
  Tensor<double> x(Shape{6, 8, 20, 20});
  Tensor<double> dy(Shape{6, 16, 10, 10});
  for (double& v : x) v = rng.normal();
  for (double& v : dy) v = rng.normal();
  const auto run = [&](int threads) {
    const ThreadScope scope(threads);
    Conv2d<double> layer(8, 16, 3, 3, 2, 1);
    Rng init_rng(3);
    layer.initialize(Initializer::he_normal(), init_rng);
    std::vector<Tensor<double>> results{layer.forward(x)};
    results.push_back(layer.backward(dy));
    for (auto& p : layer.parameters()) results.push_back(*p.grad);
    return results;
  };
  const auto one = run(1);
  const auto two = run(2);
  for (size_t i = 0; i < one.size(); ++i) {
    // Bit for bit: dW and db are summed in fixed chunks of the batch, whatever the thread count.
    EXPECT_TRUE(tensors_near(two[i], one[i], 0.0)) << "result " << i;
  }
}

// im2col and col2im are each other's transpose: <im2col(x), c> = <x, col2im(c)>.
TEST(Conv2d, Im2colAndCol2imAreAdjoint) {
  for (const ConvGeometry g : {ConvGeometry{2, 7, 6, 3, 3, 1, 0}, ConvGeometry{3, 7, 8, 3, 2, 2, 1},
                               ConvGeometry{1, 4, 5, 3, 3, 2, 3}, ConvGeometry{2, 9, 5, 4, 1, 3, 0}}) {
    Rng rng(static_cast<uint64_t>(g.height * 31 + g.stride));
    std::vector<double> x(static_cast<size_t>(g.channels * g.height * g.width));
    std::vector<double> c(static_cast<size_t>(g.col_rows() * g.col_cols()));
    for (double& v : x) v = rng.normal();
    for (double& v : c) v = rng.normal();
    std::vector<double> col(c.size()), image(x.size());
    im2col(x.data(), g, col.data());
    col2im(c.data(), g, image.data());
    double left = 0, right = 0;
    for (size_t i = 0; i < c.size(); ++i) left += col[i] * c[i];
    for (size_t i = 0; i < x.size(); ++i) right += x[i] * image[i];
    EXPECT_NEAR(left, right, 1e-10 * std::max(1.0, std::abs(left)));
  }
}

TEST(Conv2d, Im2colPutsEachWindowInAColumn) {
  // 1×3×3 image 1..9, 2×2 kernel, stride 1, no padding: 4 windows.
  const std::vector<float> x{1, 2, 3, 4, 5, 6, 7, 8, 9};
  const ConvGeometry g{1, 3, 3, 2, 2, 1, 0};
  std::vector<float> col(16);
  im2col(x.data(), g, col.data());
  // rows: kernel position (0,0) (0,1) (1,0) (1,1); columns: windows at (0,0) (0,1) (1,0) (1,1)
  const std::vector<float> expected{1, 2, 4, 5, 2, 3, 5, 6, 4, 5, 7, 8, 5, 6, 8, 9};
  EXPECT_EQ(col, expected);
}

TEST(ModelSpecConv, InfersShapesOfSimpleConvNet) {
  Sequential<float> model =
      build_model<float>("conv:30x5x5,relu,maxpool:2,linear:100,relu,linear:10", Shape{1, 28, 28});
  ASSERT_EQ(model.size(), 6u);
  EXPECT_EQ(model[0].type(), "Conv2d");
  EXPECT_EQ(model[0].output_shape(Shape{1, 28, 28}), (Shape{30, 24, 24}));
  EXPECT_EQ(model[2].output_shape(Shape{30, 24, 24}), (Shape{30, 12, 12}));
  EXPECT_EQ(model[3].output_shape(Shape{30, 12, 12}), (Shape{100}));
  EXPECT_EQ(model.output_shape(), (Shape{10}));
  EXPECT_EQ(model.spec(), "conv:30x5x5,relu,maxpool:2,linear:100,relu,linear:10");
  // 30·25 + 30 + 4320·100 + 100 + 100·10 + 10
  EXPECT_EQ(model.parameter_count(), 780 + 432100 + 1010);
  Tensor<float> x(Shape{2, 1, 28, 28}, 0.5f);
  Rng rng(1);
  model.initialize(Initializer::he_normal(), rng);
  EXPECT_EQ(model.forward(x).shape(), (Shape{2, 10}));
}

TEST(ModelSpecConv, ReadsConvOptions) {
  Sequential<double> model = build_model<double>(
      "conv:8x3:pad=1,conv:4x3x2:stride=2:bias=false,avgpool:3:stride=1:pad=1,maxpool:2:stride=1", Shape{3, 9, 9});
  EXPECT_EQ(model.spec(),
            "conv:8x3x3:pad=1,conv:4x3x2:stride=2:bias=false,avgpool:3:stride=1:pad=1,maxpool:2:stride=1");
  auto& conv = dynamic_cast<Conv2d<double>&>(model[1]);
  EXPECT_EQ(conv.in_channels(), 8);
  EXPECT_EQ(conv.kernel_h(), 3);
  EXPECT_EQ(conv.kernel_w(), 2);
  EXPECT_FALSE(conv.has_bias());
  // 9 → conv 3x3 pad 1: 9×9 → conv 3x2 stride 2: 4×4 → avgpool 3/1/1: 4×4 → maxpool 2/1: 3×3
  EXPECT_EQ(model.output_shape(), (Shape{4, 3, 3}));
  EXPECT_EQ(build_model<float>("conv:6x5:init=xavier-normal", Shape{1, 28, 28}).output_shape(), (Shape{6, 24, 24}));
}

TEST(ModelSpecConv, NamesTheBadPart) {
  const auto message = [](const std::string& spec, const Shape& input) {
    try {
      build_model<float>(spec, input);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const Shape mnist{1, 28, 28};
  EXPECT_NE(message("conv:30x5x5,relu", Shape{784}).find("'conv:30x5x5'"), std::string::npos);
  EXPECT_NE(message("conv:30x5x5,relu", Shape{784}).find("CxHxW"), std::string::npos);
  EXPECT_NE(message("conv:30x5y5", mnist).find("conv:30x5y5"), std::string::npos);
  EXPECT_NE(message("conv:30x5x5x5", mnist).find("not OUTxKHxKW"), std::string::npos);
  EXPECT_NE(message("conv:30", mnist).find("not OUTxKHxKW"), std::string::npos);
  EXPECT_NE(message("conv", mnist).find("missing OUTxKHxKW"), std::string::npos);
  EXPECT_NE(message("conv:30x5:stride=0", mnist).find("stride '0'"), std::string::npos);
  EXPECT_NE(message("conv:30x5:pad=-1", mnist).find("pad '-1'"), std::string::npos);
  EXPECT_NE(message("conv:30x5:dilation=2", mnist).find("unknown option 'dilation'"), std::string::npos);
  EXPECT_NE(message("conv:30x29", mnist).find("Conv2d input"), std::string::npos);
  EXPECT_NE(message("linear:10,conv:3x3", mnist).find("'conv:3x3'"), std::string::npos);
  EXPECT_NE(message("conv:4x3,maxpool:4:pad=3", mnist).find("'maxpool:4:pad=3'"), std::string::npos);
  EXPECT_NE(message("linear:10,maxpool:2", mnist).find("MaxPool2d expects image samples"), std::string::npos);
  EXPECT_NE(message("maxpool:0", mnist).find("kernel size '0'"), std::string::npos);
  EXPECT_NE(message("gap:2", mnist).find("'gap:2'"), std::string::npos);
}

TEST(ModelSpecConv, Presets) {
  EXPECT_TRUE(is_preset("simple-cnn"));
  EXPECT_TRUE(is_preset("deep-cnn"));
  EXPECT_TRUE(is_preset("resnet"));
  EXPECT_FALSE(is_preset("vgg"));
  EXPECT_EQ(preset_spec("simple-cnn"), "conv:30x5x5,relu,maxpool:2,linear:100,relu,linear:10");
  try {
    preset_spec("vgg");
    ADD_FAILURE() << "no exception";
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("vgg"), std::string::npos);
    EXPECT_NE(what.find("resnet"), std::string::npos);
    EXPECT_NE(what.find("simple-cnn"), std::string::npos);
    EXPECT_NE(what.find("deep-cnn"), std::string::npos);
  }
  Sequential<float> simple = build_model<float>(preset_spec("simple-cnn"), Shape{1, 28, 28});
  EXPECT_EQ(simple.output_shape(), (Shape{10}));
  // The textbook's DeepConvNet: 28 → 28 → 28 → pool 14 → 14 → 16 (pad 2) → pool 8 → 8 → 8 → pool 4.
  Sequential<float> deep = build_model<float>(preset_spec("deep-cnn"), Shape{1, 28, 28});
  EXPECT_EQ(deep.size(), 20u);
  EXPECT_EQ(deep[14].output_shape(Shape{64, 8, 8}), (Shape{64, 4, 4}));
  EXPECT_EQ(deep[15].type(), "Linear");
  EXPECT_EQ(dynamic_cast<Linear<float>&>(deep[15]).in_features(), 64 * 4 * 4);
  EXPECT_EQ(deep.output_shape(), (Shape{10}));
  EXPECT_EQ(deep.spec(), preset_spec("deep-cnn"));

  // A preset name stands for its spec wherever a spec is taken (nnlab train --model simple-cnn).
  Sequential<float> by_name = build_model<float>("simple-cnn", Shape{1, 28, 28});
  EXPECT_EQ(by_name.spec(), preset_spec("simple-cnn"));
  // A misspelt preset is an unknown layer whose message lists the presets too.
  try {
    build_model<float>("simple_cnn", Shape{1, 28, 28});
    ADD_FAILURE() << "no exception";
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("unknown layer 'simple_cnn'"), std::string::npos) << what;
    EXPECT_NE(what.find("presets: deep-cnn, resnet, simple-cnn"), std::string::npos) << what;
  }
}

}  // namespace nnlab::test
