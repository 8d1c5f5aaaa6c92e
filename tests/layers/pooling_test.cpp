#include <cmath>
#include <limits>

#include "layers/layer_checks.h"
#include "nnlab/layers/avg_pool2d.h"
#include "nnlab/layers/max_pool2d.h"

namespace nnlab::test {

namespace {
const nlohmann::json kTwoByTwo = {{"kernel", 2}, {"stride", 2}};

// Kernel, stride, padding: the usual windows (2/2, 3/2, 3/3, 3/1), which have a vectorised kernel for
// the windows inside the image and a general one for the rest, and some that only the general one takes.
const int64_t kSettings[][3] = {{2, 2, 0}, {2, 2, 1}, {3, 2, 0}, {3, 2, 1}, {3, 3, 1},
                                {3, 1, 1}, {3, 1, 0}, {4, 3, 2}, {1, 1, 0}, {2, 1, 1}};
const Shape kShapes[] = {Shape{2, 2, 9, 11}, Shape{1, 1, 3, 2}, Shape{1, 2, 4, 4}, Shape{1, 1, 1, 13}};

bool fits(const Shape& shape, int64_t kernel, int64_t padding) {
  return shape[2] + 2 * padding >= kernel && shape[3] + 2 * padding >= kernel;
}

// The definition, one output at a time: max (or mean, padding counted as zeros) over the window.
Tensor<double> naive_pool(const Tensor<double>& x, int64_t k, int64_t s, int64_t p, bool max) {
  const int64_t h = x.dim(2), w = x.dim(3), oh_count = (h + 2 * p - k) / s + 1, ow_count = (w + 2 * p - k) / s + 1;
  Tensor<double> y(Shape{x.dim(0), x.dim(1), oh_count, ow_count});
  int64_t out = 0;
  for (int64_t plane = 0; plane < x.dim(0) * x.dim(1); ++plane) {
    for (int64_t oh = 0; oh < oh_count; ++oh) {
      for (int64_t ow = 0; ow < ow_count; ++ow) {
        double best = -std::numeric_limits<double>::infinity(), sum = 0;
        for (int64_t i = 0; i < k; ++i) {
          for (int64_t j = 0; j < k; ++j) {
            const int64_t ih = oh * s - p + i, iw = ow * s - p + j;
            if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue;
            best = std::max(best, x[(plane * h + ih) * w + iw]);
            sum += x[(plane * h + ih) * w + iw];
          }
        }
        y[out++] = max ? best : sum / static_cast<double>(k * k);
      }
    }
  }
  return y;
}

template <typename Pool>
void expect_every_kernel_path_right(bool max) {
  uint64_t seed = 10;
  for (const auto& [kernel, stride, padding] : kSettings) {
    for (const Shape& shape : kShapes) {
      if (!fits(shape, kernel, padding)) continue;
      Pool layer(kernel, stride, padding);
      SCOPED_TRACE(layer.spec() + " on " + shape.str());
      Rng rng(++seed);
      Tensor<double> x(shape);
      for (double& v : x) v = rng.normal();
      EXPECT_TRUE(tensors_near(layer.forward(x), naive_pool(x, kernel, stride, padding, max), 1e-14));
      expect_gradients_check(layer, shape, seed);
    }
  }
}

template <typename Pool>
std::string construction_error(int64_t kernel, int64_t stride, int64_t padding) {
  try {
    Pool pool(kernel, stride, padding);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "no error";
}
}  // namespace

TEST(MaxPool2d, MatchesPyTorchInFloat64) {
  MaxPool2d<double> layer(2, 2);
  expect_matches_reference(layer, layer_case("maxpool2d", kTwoByTwo), 1e-10);
}

TEST(MaxPool2d, MatchesPyTorchInFloat32) {
  MaxPool2d<float> layer(2);
  expect_matches_reference(layer, layer_case("maxpool2d", kTwoByTwo), 1e-4);
}

TEST(MaxPool2d, GradientCheck) {
  // Random normal inputs: ties within a window, where the gradient is not defined, are improbable.
  MaxPool2d<double> plain(2);
  expect_gradients_check(plain, Shape{2, 3, 7, 6});
  MaxPool2d<double> overlapping(3, 2, 1);  // windows overlap and reach into the padding
  expect_gradients_check(overlapping, Shape{2, 2, 7, 8}, 2);
  MaxPool2d<double> dense(3, 1);
  expect_gradients_check(dense, Shape{1, 2, 6, 5}, 3);
}

TEST(MaxPool2d, EveryKernelPathMatchesTheDefinition) { expect_every_kernel_path_right<MaxPool2d<double>>(true); }

TEST(MaxPool2d, ImageNarrowerThanTheKernel) {
  // 1×1 image, 3×3 window padded by 1: one window whose only pixel is the image.
  MaxPool2d<float> layer(3, 1, 1);
  Tensor<float> x(Shape{1, 1, 1, 1}, -7.0f);
  const Tensor<float>& y = layer.forward(x);
  EXPECT_EQ(y.shape(), (Shape{1, 1, 1, 1}));
  EXPECT_EQ(y[0], -7.0f);
  EXPECT_EQ(layer.backward(Tensor<float>(Shape{1, 1, 1, 1}, 2.0f))[0], 2.0f);
  MaxPool2d<float> wide(3, 2, 1);
  Tensor<float> row(Shape{1, 1, 1, 4}, {1, 5, 2, 3});
  const Tensor<float>& z = wide.forward(row);
  EXPECT_EQ(z.shape(), (Shape{1, 1, 1, 2}));
  EXPECT_EQ(z[0], 5.0f);
  EXPECT_EQ(z[1], 5.0f);
}

TEST(MaxPool2d, PaddingIsMinusInfinityAndTiesGoToTheFirst) {
  MaxPool2d<double> layer(2, 2, 1);
  // 1×1×3×3, all negative: zero padding would win; −∞ padding does not.
  Tensor<double> x(Shape{1, 1, 3, 3}, {-1, -2, -3, -4, -5, -6, -7, -8, -9});
  const Tensor<double>& y = layer.forward(x);
  EXPECT_EQ(y.shape(), (Shape{1, 1, 2, 2}));
  EXPECT_EQ(y[0], -1.0);  // window holds only x[0][0]
  EXPECT_EQ(y[1], -2.0);  // x[0][1], x[0][2]
  EXPECT_EQ(y[2], -4.0);
  EXPECT_EQ(y[3], -5.0);
  MaxPool2d<double> tie(2);
  Tensor<double> flat(Shape{1, 1, 2, 2}, 3.0);
  tie.forward(flat);
  const Tensor<double>& dx = tie.backward(Tensor<double>(Shape{1, 1, 1, 1}, 1.0));
  EXPECT_EQ(dx[0], 1.0);
  EXPECT_EQ(dx[1] + dx[2] + dx[3], 0.0);
}

TEST(MaxPool2d, NaNPropagates) {
  MaxPool2d<float> layer(2);
  Tensor<float> x(Shape{1, 1, 2, 2}, {1.0f, std::numeric_limits<float>::quiet_NaN(), 5.0f, 2.0f});
  EXPECT_TRUE(std::isnan(layer.forward(x)[0]));
}

TEST(MaxPool2d, OverlappingWindowsAddTheirGradients) {
  MaxPool2d<double> layer(2, 1);
  Tensor<double> x(Shape{1, 1, 3, 3}, {0, 0, 0, 0, 9, 0, 0, 0, 0});
  layer.forward(x);
  const Tensor<double>& dx = layer.backward(Tensor<double>(Shape{1, 1, 2, 2}, {1, 2, 3, 4}));
  EXPECT_EQ(dx[4], 10.0);  // the centre is the max of all four windows
}

TEST(MaxPool2d, ShapesSpecAndErrors) {
  MaxPool2d<float> layer(2);
  EXPECT_EQ(layer.output_shape(Shape{30, 24, 24}), (Shape{30, 12, 12}));
  EXPECT_EQ(layer.output_shape(Shape{2, 7, 5}), (Shape{2, 3, 2}));
  EXPECT_EQ(layer.spec(), "maxpool:2");
  EXPECT_EQ(MaxPool2d<float>(3, 2, 1).spec(), "maxpool:3:stride=2:pad=1");
  EXPECT_EQ(MaxPool2d<float>(3, 2, 1).output_shape(Shape{1, 7, 8}), (Shape{1, 4, 4}));
  EXPECT_THROW(layer.output_shape(Shape{2, 1, 5}), std::invalid_argument);
  EXPECT_THROW(layer.output_shape(Shape{100}), std::invalid_argument);
  EXPECT_THROW(layer.forward(Tensor<float>(Shape{2, 8})), std::invalid_argument);
  EXPECT_NE(construction_error<MaxPool2d<float>>(2, 2, 2).find("MaxPool2d padding 2"), std::string::npos);
  EXPECT_NE(construction_error<MaxPool2d<float>>(0, 1, 0).find("MaxPool2d"), std::string::npos);
  EXPECT_NE(construction_error<MaxPool2d<float>>(2, 0, 0).find("MaxPool2d"), std::string::npos);
}

TEST(MaxPool2d, DoesNotReallocateForTheSameBatch) {
  MaxPool2d<float> layer(2);
  Tensor<float> x(Shape{4, 3, 8, 8}, 1.0f);
  const float* y = layer.forward(x).data();
  const float* dx = layer.backward(Tensor<float>(Shape{4, 3, 4, 4}, 1.0f)).data();
  EXPECT_EQ(layer.forward(x).data(), y);
  EXPECT_EQ(layer.backward(Tensor<float>(Shape{4, 3, 4, 4}, 1.0f)).data(), dx);
}

TEST(AvgPool2d, MatchesPyTorchInFloat64) {
  AvgPool2d<double> layer(2, 2);
  expect_matches_reference(layer, layer_case("avgpool2d", kTwoByTwo), 1e-10);
}

TEST(AvgPool2d, MatchesPyTorchInFloat32) {
  AvgPool2d<float> layer(2);
  expect_matches_reference(layer, layer_case("avgpool2d", kTwoByTwo), 1e-4);
}

TEST(AvgPool2d, GradientCheck) {
  AvgPool2d<double> plain(2);
  expect_gradients_check(plain, Shape{2, 3, 7, 6});
  AvgPool2d<double> padded(3, 2, 1);
  expect_gradients_check(padded, Shape{2, 2, 7, 8}, 2);
  AvgPool2d<double> dense(3, 1);
  expect_gradients_check(dense, Shape{1, 2, 6, 5}, 3);
}

TEST(AvgPool2d, EveryKernelPathMatchesTheDefinition) { expect_every_kernel_path_right<AvgPool2d<double>>(false); }

TEST(AvgPool2d, PaddingCountsAsZeros) {
  // count_include_pad = true: the corner window of a 3×3 kernel with padding 1 holds 4 pixels, divided by 9.
  AvgPool2d<double> layer(3, 2, 1);
  Tensor<double> x(Shape{1, 1, 4, 4}, 9.0);
  const Tensor<double>& y = layer.forward(x);
  EXPECT_EQ(y.shape(), (Shape{1, 1, 2, 2}));
  EXPECT_DOUBLE_EQ(y[0], 4.0);  // 4 pixels · 9 / 9
  EXPECT_DOUBLE_EQ(y[3], 9.0);  // a full window: rows 1..3, columns 1..3
}

TEST(AvgPool2d, ShapesSpecAndErrors) {
  AvgPool2d<float> layer(3, 1, 1);
  EXPECT_EQ(layer.output_shape(Shape{4, 5, 6}), (Shape{4, 5, 6}));
  EXPECT_EQ(layer.spec(), "avgpool:3:stride=1:pad=1");
  EXPECT_EQ(AvgPool2d<float>(2).spec(), "avgpool:2");
  EXPECT_THROW(AvgPool2d<float>(2).output_shape(Shape{1, 1, 1}), std::invalid_argument);
  EXPECT_NE(construction_error<AvgPool2d<float>>(3, 1, 2).find("AvgPool2d padding 2"), std::string::npos);
}

}  // namespace nnlab::test
