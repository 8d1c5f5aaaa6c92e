// Conv2d<float> of 8 or more input channels runs on oneDNN (where the build has it): the same
// results as the im2col + GEMM path of Conv2d<double>, to float rounding.

#include <algorithm>
#include <cmath>

#include "layers/layer_checks.h"
#include "nnlab/kernels/onednn_conv.h"
#include "nnlab/kernels/threads.h"
#include "nnlab/layers/conv2d.h"

namespace nnlab::test {

namespace {

// Forward and backward of the same convolution in float (oneDNN) and double (im2col + GEMM).
void expect_float_matches_double(int64_t batch, int64_t in, int64_t out, int64_t kernel, int64_t stride,
                                 int64_t padding, int64_t size, bool bias) {
  Conv2d<double> reference(in, out, kernel, kernel, stride, padding, bias);
  Conv2d<float> layer(in, out, kernel, kernel, stride, padding, bias);
  Rng rng(7);
  reference.initialize(Initializer::he_normal(), rng);
  for (int64_t i = 0; i < reference.weight().size(); ++i) layer.weight()[i] = static_cast<float>(reference.weight()[i]);
  for (int64_t i = 0; i < reference.bias().size(); ++i) {
    reference.bias()[i] = 0.1 * static_cast<double>(i);
    layer.bias()[i] = static_cast<float>(reference.bias()[i]);
  }
  Tensor<double> x(Shape{batch, in, size, size});
  for (double& v : x) v = rng.normal();
  const Tensor<float> xf = x.cast<float>();
  reference.set_needs_input_grad(true);
  layer.set_needs_input_grad(true);
  const Tensor<double> y = reference.forward(x);
  const Tensor<float> yf = layer.forward(xf);
  ASSERT_EQ(yf.shape(), y.shape());
  EXPECT_LT(relative_error(yf, y), 1e-5);
  Tensor<double> dy(y.shape());
  for (double& v : dy) v = rng.normal();
  reference.zero_grad();
  layer.zero_grad();
  const Tensor<double> dx = reference.backward(dy);
  const Tensor<float> dxf = layer.backward(dy.cast<float>());
  EXPECT_LT(relative_error(dxf, dx), 1e-5);
  EXPECT_LT(relative_error(*layer.parameters()[0].grad, *reference.parameters()[0].grad), 1e-5);
  if (bias) {
    EXPECT_LT(relative_error(*layer.parameters()[1].grad, *reference.parameters()[1].grad), 1e-5);
  }
}

}  // namespace

TEST(Conv2dOneDnn, TheResidualPresetsShapesMatchTheReferencePath) {
  if (!onednn_available()) GTEST_SKIP() << "built without oneDNN";
  expect_float_matches_double(6, 16, 16, 3, 1, 1, 14, true);
  expect_float_matches_double(5, 16, 32, 3, 1, 1, 7, true);
  expect_float_matches_double(4, 32, 64, 1, 1, 0, 7, false);  // a 1×1 projection
}

TEST(Conv2dOneDnn, StridesPaddingAndOddSizesMatchTheReferencePath) {
  if (!onednn_available()) GTEST_SKIP() << "built without oneDNN";
  expect_float_matches_double(3, 8, 12, 3, 2, 1, 9, true);
  expect_float_matches_double(2, 9, 5, 5, 1, 2, 11, true);
  expect_float_matches_double(2, 8, 4, 2, 2, 0, 7, true);  // the right edge is dropped: im2col + GEMM
  EXPECT_FALSE(OneDnnConv::supports(ConvGeometry{8, 7, 7, 2, 2, 2, 0}));
  EXPECT_TRUE(OneDnnConv::supports(ConvGeometry{8, 8, 8, 2, 2, 2, 0}));
}

// oneDNN's AVX-512 backward-weights kernel refuses a padding of 2: it runs on x with the padding
// but one written out as zeros (kernels/onednn_conv.cpp).
TEST(Conv2dOneDnn, PaddingsAboveOneMatchTheReferencePath) {
  if (!onednn_available()) GTEST_SKIP() << "built without oneDNN";
  expect_float_matches_double(3, 32, 32, 3, 1, 2, 14, true);  // DeepConvNet's fourth convolution
  expect_float_matches_double(2, 16, 16, 3, 1, 3, 6, true);   // two rings of zeros written out
  expect_float_matches_double(2, 16, 8, 3, 2, 2, 9, false);   // stride 2
}

TEST(Conv2dOneDnn, APaddedWeightGradientForgetsThePreviousBatch) {
  if (!onednn_available()) GTEST_SKIP() << "built without oneDNN";
  Conv2d<double> reference(16, 16, 3, 3, 1, 2, true);
  Conv2d<float> layer(16, 16, 3, 3, 1, 2, true);
  Rng rng(9);
  reference.initialize(Initializer::he_normal(), rng);
  for (int64_t i = 0; i < reference.weight().size(); ++i) layer.weight()[i] = static_cast<float>(reference.weight()[i]);
  for (int round = 0; round < 2; ++round) {
    Tensor<double> x(Shape{4, 16, 10, 10});
    for (double& v : x) v = round == 0 ? 100.0 : rng.normal();  // the first batch: large everywhere
    const Tensor<float> xf = x.cast<float>();                   // the layers keep a pointer to their input for backward
    const Tensor<double>& y = reference.forward(x);
    layer.forward(xf);
    Tensor<double> dy(y.shape());
    for (double& v : dy) v = rng.normal();
    reference.zero_grad();
    layer.zero_grad();
    reference.backward(dy);
    layer.backward(dy.cast<float>());
    EXPECT_LT(relative_error(*layer.parameters()[0].grad, *reference.parameters()[0].grad), 1e-5) << "round " << round;
  }
}

TEST(Conv2dOneDnn, BatchesOfEverySizeAndCopiesOfTheLayerGiveTheSameOutputs) {
  if (!onednn_available()) GTEST_SKIP() << "built without oneDNN";
  Conv2d<float> layer(8, 8, 3, 3, 1, 1);
  Rng rng(3);
  layer.initialize(Initializer::he_normal(), rng);
  Tensor<float> x(Shape{7, 8, 6, 6});
  for (float& v : x) v = static_cast<float>(rng.normal());
  const Tensor<float> whole = layer.forward(x);
  // Sample 2 alone, after the whole batch, then a copy of the layer: the same numbers.
  Tensor<float> one(Shape{1, 8, 6, 6});
  std::copy(x.row(2), x.row(3), one.data());
  const Tensor<float> alone = layer.forward(one);
  Conv2d<float> copy = layer;
  const Tensor<float> copied = copy.forward(one);
  const int64_t plane = whole.row_size();
  for (int64_t j = 0; j < plane; ++j) {
    EXPECT_NEAR(alone[j], whole.row(2)[j], 1e-5f) << j;
    EXPECT_EQ(copied[j], alone[j]) << j;
  }
  // In eval mode (its blocked copies freed after the call), then the batch again: the same.
  layer.eval();
  const Tensor<float> evaluated = layer.forward(one);
  for (int64_t j = 0; j < plane; ++j) EXPECT_EQ(evaluated[j], alone[j]) << j;
  layer.train();
  EXPECT_TRUE(tensors_near(layer.forward(x), whole.cast<double>(), 0.0));
}

TEST(Conv2dOneDnn, SameResultWithOneAndTwoThreadsToTheBit) {
  if (!onednn_available()) GTEST_SKIP() << "built without oneDNN";
  Rng rng(1);
  Tensor<float> x(Shape{64, 16, 14, 14}), dy(Shape{64, 32, 14, 14});
  for (float& v : x) v = static_cast<float>(rng.normal());
  for (float& v : dy) v = static_cast<float>(rng.normal());
  const auto run = [&](int threads) {
    const ThreadScope scope(threads);
    Conv2d<float> layer(16, 32, 3, 3, 1, 1);
    Rng init_rng(3);
    layer.initialize(Initializer::he_normal(), init_rng);
    layer.set_needs_input_grad(true);
    std::vector<Tensor<double>> results{layer.forward(x).cast<double>()};
    layer.zero_grad();
    results.push_back(layer.backward(dy).cast<double>());
    for (auto& p : layer.parameters()) results.push_back(p.grad->cast<double>());
    return results;
  };
  const auto one = run(1);
  const auto two = run(2);
  // The forward pass and dx agree to the bit for 1 and 2 threads on every kernel oneDNN has. The
  // gradients of the weights and bias are sums over the batch (12,544 products each), which some of
  // oneDNN's kernels split by the threads: its AVX2 and Intel AVX-512 (avx512_core) ones split them
  // the same way for 1 and 2 threads on this shape; its SSE4.1 ones (a CPU without AVX2, or
  // NNLAB_ISA=generic) and its AVX-512 BF16 ones (AMD Zen 4) do not, and there they agree to float
  // rounding of such sums, within 1e-5 of the tensor's largest value (with avx512_core_bf16 single
  // elements differ by up to 3e-4, e.g. 0.89894 against 0.89863).
  const std::string kernels = onednn_kernels();
  const bool summed_alike = kernels == "avx2" || kernels == "avx512_core";
  for (size_t i = 0; i < one.size(); ++i) {
    if (i < 2 || summed_alike) {
      EXPECT_TRUE(tensors_near(two[i], one[i], 0.0)) << "result " << i;
      continue;
    }
    double largest = 0.0, difference = 0.0;
    for (int64_t j = 0; j < one[i].size(); ++j) {
      largest = std::max(largest, std::abs(one[i][j]));
      difference = std::max(difference, std::abs(two[i][j] - one[i][j]));
    }
    EXPECT_LE(difference, 1e-5 * largest) << "result " << i << " (" << kernels << " kernels)";
    EXPECT_GT(largest, 1.0) << "result " << i;
  }
}

}  // namespace nnlab::test
