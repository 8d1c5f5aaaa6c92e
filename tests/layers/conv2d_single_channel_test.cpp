// Conv2d<float> of one input channel and stride 1 runs on the direct kernel where the CPU has
// AVX2 (kernels/single_channel_conv.h): the same results as the im2col + GEMM path of
// Conv2d<double>, to float rounding; under NNLAB_ISA=generic (the ".generic" run of these tests)
// the same checks hold on im2col + GEMM.

#include <algorithm>
#include <cmath>

#include "layers/layer_checks.h"
#include "nnlab/kernels/isa.h"
#include "nnlab/kernels/single_channel_conv.h"
#include "nnlab/kernels/threads.h"
#include "nnlab/layers/conv2d.h"

namespace nnlab::test {

namespace {

struct SingleChannelCase {
  int64_t batch, out, kernel_h, kernel_w, padding, height, width;
  bool bias, input_grad;
};

// Forward and backward of the same one-channel convolution in float and in double.
void expect_single_channel_matches_double(const SingleChannelCase& c) {
  Conv2d<double> reference(1, c.out, c.kernel_h, c.kernel_w, 1, c.padding, c.bias);
  Conv2d<float> layer(1, c.out, c.kernel_h, c.kernel_w, 1, c.padding, c.bias);
  Rng rng(11);
  reference.initialize(Initializer::he_normal(), rng);
  for (int64_t i = 0; i < reference.weight().size(); ++i) layer.weight()[i] = static_cast<float>(reference.weight()[i]);
  for (int64_t i = 0; i < reference.bias().size(); ++i) {
    reference.bias()[i] = 0.05 * static_cast<double>(i) - 0.3;
    layer.bias()[i] = static_cast<float>(reference.bias()[i]);
  }
  Tensor<double> x(Shape{c.batch, 1, c.height, c.width});
  for (double& v : x) v = rng.uniform(0.0, 1.0);  // pixels
  reference.set_needs_input_grad(c.input_grad);
  layer.set_needs_input_grad(c.input_grad);
  const Tensor<double> y = reference.forward(x);
  const Tensor<float> xf = x.cast<float>();  // the layer keeps a pointer to its input until backward
  const Tensor<float> yf = layer.forward(xf);
  ASSERT_EQ(yf.shape(), y.shape());
  EXPECT_LT(relative_error(yf, y), 1e-6) << "forward, kernel " << c.kernel_h << "x" << c.kernel_w;
  Tensor<double> dy(y.shape());
  for (double& v : dy) v = rng.normal();
  // Twice, without zero_grad between: the second batch's sums are added to the first's.
  for (int pass = 0; pass < 2; ++pass) {
    if (pass == 0) {
      reference.zero_grad();
      layer.zero_grad();
    }
    const Tensor<double>& dx = reference.backward(dy);
    const Tensor<float>& dxf = layer.backward(dy.cast<float>());
    if (c.input_grad) {
      EXPECT_LT(relative_error(dxf, dx), 1e-6);
    }
  }
  EXPECT_LT(relative_error(*layer.parameters()[0].grad, *reference.parameters()[0].grad), 1e-5);
  if (c.bias) {
    EXPECT_LT(relative_error(*layer.parameters()[1].grad, *reference.parameters()[1].grad), 1e-5);
  }
}

}  // namespace

TEST(Conv2dSingleChannel, TheFirstLayersOfThePresetsMatchTheReferencePath) {
  // SimpleConvNet's 30@5×5, DeepConvNet's and the residual preset's 16@3×3 with padding 1.
  expect_single_channel_matches_double({7, 30, 5, 5, 0, 28, 28, true, false});
  expect_single_channel_matches_double({5, 16, 3, 3, 1, 28, 28, true, false});
}

TEST(Conv2dSingleChannel, OddShapesPaddingAndChannelCountsMatchTheReferencePath) {
  // Channel counts that leave a remainder after the 4- and 2-channel blocks, rectangular kernels
  // and images, padding wider than the kernel's reach, 1×1 kernels, no bias, and dx wanted
  // (then backward goes to im2col + GEMM, forward stays direct).
  expect_single_channel_matches_double({3, 7, 3, 3, 1, 9, 7, true, false});
  expect_single_channel_matches_double({2, 5, 2, 4, 2, 6, 5, false, false});
  expect_single_channel_matches_double({4, 3, 5, 5, 3, 5, 5, true, false});
  expect_single_channel_matches_double({3, 9, 1, 1, 0, 4, 9, true, false});
  expect_single_channel_matches_double({2, 6, 7, 3, 0, 11, 8, true, false});
  expect_single_channel_matches_double({3, 6, 3, 3, 1, 10, 10, true, true});
}

TEST(Conv2dSingleChannel, TheKernelRunsWhereTheCpuHasAvx2AndGivesTheSameBitsOnAnyThreadCount) {
  const ConvGeometry g{1, 28, 28, 5, 5, 1, 0};
  EXPECT_EQ(single_channel_conv_available(g), kernel_isa() != KernelIsa::generic);
  EXPECT_FALSE(single_channel_conv_available(ConvGeometry{2, 28, 28, 5, 5, 1, 0}));
  EXPECT_FALSE(single_channel_conv_available(ConvGeometry{1, 28, 28, 5, 5, 2, 0}));

  Conv2d<float> layer(1, 30, 5, 5);
  layer.set_needs_input_grad(false);  // a first layer: its backward is the direct kernel's too
  Rng rng(3);
  layer.initialize(Initializer::he_normal(), rng);
  Tensor<float> x(Shape{64, 1, 28, 28});
  for (float& v : x) v = static_cast<float>(rng.uniform(0.0, 1.0));
  Tensor<float> dy(Shape{64, 30, 24, 24});
  for (float& v : dy) v = static_cast<float>(rng.normal());
  Tensor<float> outputs[2], grads[2];
  for (int threads = 1; threads <= 2; ++threads) {
    const ThreadScope scope(threads);
    outputs[threads - 1] = layer.forward(x);
    layer.zero_grad();
    layer.backward(dy);
    grads[threads - 1] = *layer.parameters()[0].grad;
  }
  EXPECT_TRUE(std::equal(outputs[0].begin(), outputs[0].end(), outputs[1].begin()));
  EXPECT_TRUE(std::equal(grads[0].begin(), grads[0].end(), grads[1].begin()));
}

}  // namespace nnlab::test
