// The layers that take channel-blocked batches (Tensor::channel_block, kernels/channel_blocks.h):
// given x in blocks, each gives what it gives for x in NCHW, in blocks, and dx in x's layout.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "nnlab/kernels/channel_blocks.h"
#include "nnlab/kernels/onednn_conv.h"
#include "nnlab/layers/batchnorm.h"
#include "nnlab/layers/conv2d.h"
#include "nnlab/layers/global_avg_pool.h"
#include "nnlab/layers/max_pool2d.h"
#include "nnlab/layers/relu.h"
#include "nnlab/tensor/random.h"

namespace nnlab::test {
namespace {

Tensor<float> cb_random(const Shape& shape, Rng& rng, double mean = 0) {
  Tensor<float> x(shape);
  for (float& v : x) v = static_cast<float>(mean + rng.normal());
  return x;
}

// `got` (any layout) against `want` (NCHW), each value within tol of it, relative to want's largest.
void cb_expect_same(const Tensor<float>& got, const Tensor<float>& want, double tol, const char* what) {
  Tensor<float> plain;
  convert_channel_blocks(got, 0, plain);
  ASSERT_EQ(plain.shape(), want.shape()) << what;
  double largest = 0;
  for (const float v : want) largest = std::max(largest, std::abs(double(v)));
  for (int64_t i = 0; i < want.size(); ++i) {
    ASSERT_NEAR(plain[i], want[i], tol * largest) << what << ", element " << i;
  }
}

// The block size oneDNN's convolutions compute in on this CPU (16 with AVX-512, 8 with AVX2 or less).
int64_t cb_machine_block() {
  Conv2d<float> conv(16, 16, 3, 3, 1, 1, true);
  Rng rng(1);
  conv.initialize(Initializer::he_normal(), rng);
  conv.set_channel_blocks_out(true);
  return conv.forward(cb_random(Shape{1, 16, 4, 4}, rng)).channel_block();
}

}  // namespace

TEST(ChannelBlocksLayers, Conv2dGivesBlocksOnlyWhenAllowedAndTheSameValues) {
  if (!onednn_available()) GTEST_SKIP() << "built without oneDNN";
  const int64_t block = cb_machine_block();
  ASSERT_TRUE(block == 8 || block == 16) << block;
  Rng rng(3);
  Conv2d<float> conv(16, 32, 3, 3, 1, 1, true);
  conv.initialize(Initializer::he_normal(), rng);
  conv.set_needs_input_grad(true);
  const Tensor<float> x = cb_random(Shape{4, 16, 9, 9}, rng);
  const Tensor<float> dy = cb_random(Shape{4, 32, 9, 9}, rng);

  const Tensor<float> y = conv.forward(x);  // on its own: NCHW
  EXPECT_EQ(y.channel_block(), 0);
  const Tensor<float> dx = conv.backward(dy);
  const Tensor<float> dw = *conv.parameters()[0].grad;
  EXPECT_EQ(dx.channel_block(), 0);

  Tensor<float> x_blocked, dy_blocked;
  convert_channel_blocks(x, block, x_blocked);
  convert_channel_blocks(dy, block, dy_blocked);
  conv.set_channel_blocks_out(true);
  conv.zero_grad();
  const Tensor<float>& y_blocked = conv.forward(x_blocked);
  EXPECT_EQ(y_blocked.channel_block(), block);
  cb_expect_same(y_blocked, y, 1e-6, "y");
  const Tensor<float>& dx_blocked = conv.backward(dy_blocked);
  EXPECT_EQ(dx_blocked.channel_block(), block);
  cb_expect_same(dx_blocked, dx, 1e-6, "dx");
  cb_expect_same(*conv.parameters()[0].grad, dw, 1e-6, "dW");

  // A blocked x, an NCHW y: the reorder on the way out only.
  conv.set_channel_blocks_out(false);
  const Tensor<float>& y_plain = conv.forward(x_blocked);
  EXPECT_EQ(y_plain.channel_block(), 0);
  cb_expect_same(y_plain, y, 1e-6, "y from blocked x");
  const Tensor<float>& dx_back = conv.backward(dy);
  EXPECT_EQ(dx_back.channel_block(), block);
  cb_expect_same(dx_back, dx, 1e-6, "dx of blocked x");
}

TEST(ChannelBlocksLayers, Conv2dThatOneDnnRefusesTakesBlocksThroughNchw) {
  if (!onednn_available()) GTEST_SKIP() << "built without oneDNN";
  // Stride 2 on 6×6 without padding: oneDNN would need a right padding of −1 (OneDnnConv::supports).
  Rng rng(4);
  Conv2d<float> conv(8, 8, 3, 3, 2, 0, true);
  conv.initialize(Initializer::he_normal(), rng);
  conv.set_needs_input_grad(true);
  const Tensor<float> x = cb_random(Shape{2, 8, 6, 6}, rng);
  const Tensor<float> y = conv.forward(x);
  const Tensor<float> dy = cb_random(y.shape(), rng);
  const Tensor<float> dx = conv.backward(dy);
  Tensor<float> x_blocked;
  convert_channel_blocks(x, 8, x_blocked);
  const Tensor<float>& y_again = conv.forward(x_blocked);
  EXPECT_EQ(y_again.channel_block(), 0);
  cb_expect_same(y_again, y, 0, "y");
  const Tensor<float>& dx_again = conv.backward(dy);
  EXPECT_EQ(dx_again.channel_block(), 8);
  cb_expect_same(dx_again, dx, 0, "dx");
}

TEST(ChannelBlocksLayers, BatchNormReluAndGlobalAvgPoolComputeInBlocks) {
  Rng rng(6);
  const Tensor<float> x = cb_random(Shape{5, 32, 6, 7}, rng, 0.5);
  const Tensor<float> dy = cb_random(x.shape(), rng);
  for (const int64_t block : {8, 16}) {
    for (const bool training : {true, false}) {
      BatchNorm<float> plain_bn(32), blocked_bn(32);
      for (BatchNorm<float>* bn : {&plain_bn, &blocked_bn}) {
        for (int64_t c = 0; c < 32; ++c) {
          bn->gamma()[c] = static_cast<float>(1 + 0.1 * c);
          bn->beta()[c] = static_cast<float>(0.05 * c - 1);
          bn->running_mean()[c] = static_cast<float>(0.01 * c);
          bn->running_var()[c] = static_cast<float>(1 + 0.02 * c);
        }
        bn->set_training(training);
      }
      Tensor<float> x_blocked, dy_blocked;
      convert_channel_blocks(x, block, x_blocked);
      convert_channel_blocks(dy, block, dy_blocked);
      const Tensor<float>& y = plain_bn.forward(x);
      const Tensor<float>& y_blocked = blocked_bn.forward(x_blocked);
      EXPECT_EQ(y_blocked.channel_block(), block);
      cb_expect_same(y_blocked, y, 1e-6, "BatchNorm y");
      const Tensor<float>& dx = plain_bn.backward(dy);
      const Tensor<float>& dx_blocked = blocked_bn.backward(dy_blocked);
      EXPECT_EQ(dx_blocked.channel_block(), block);
      cb_expect_same(dx_blocked, dx, 1e-5, "BatchNorm dx");
      cb_expect_same(*blocked_bn.parameters()[0].grad, *plain_bn.parameters()[0].grad, 1e-6, "dgamma");
      cb_expect_same(*blocked_bn.parameters()[1].grad, *plain_bn.parameters()[1].grad, 1e-6, "dbeta");
      cb_expect_same(blocked_bn.running_var(), plain_bn.running_var(), 1e-6, "running_var");
      EXPECT_THROW(blocked_bn.backward(dy), std::logic_error);  // a gradient in the wrong layout
    }

    ReLU<float> plain_relu, blocked_relu;
    Tensor<float> x_blocked, dy_blocked;
    convert_channel_blocks(x, block, x_blocked);
    convert_channel_blocks(dy, block, dy_blocked);
    const Tensor<float>& r = blocked_relu.forward(x_blocked);
    EXPECT_EQ(r.channel_block(), block);
    cb_expect_same(r, plain_relu.forward(x), 0, "ReLU y");
    const Tensor<float>& dr = blocked_relu.backward(dy_blocked);
    EXPECT_EQ(dr.channel_block(), block);
    cb_expect_same(dr, plain_relu.backward(dy), 0, "ReLU dx");

    GlobalAvgPool<float> plain_gap, blocked_gap;
    plain_gap.set_needs_input_grad(true);
    blocked_gap.set_needs_input_grad(true);
    const Tensor<float>& pooled = blocked_gap.forward(x_blocked);
    EXPECT_EQ(pooled.channel_block(), 0);
    cb_expect_same(pooled, plain_gap.forward(x), 1e-6, "GlobalAvgPool y");
    const Tensor<float> dpooled = cb_random(pooled.shape(), rng);
    const Tensor<float>& dgap = blocked_gap.backward(dpooled);
    EXPECT_EQ(dgap.channel_block(), block);
    cb_expect_same(dgap, plain_gap.backward(dpooled), 0, "GlobalAvgPool dx");
  }
}

TEST(ChannelBlocksLayers, MaxPoolOfTwoByTwoWindowsInBlocks) {
  Rng rng(8);
  // Ties (values on a coarse grid), a NaN, odd sizes (a last row and column no window covers).
  for (const Shape& shape : {Shape{3, 16, 8, 6}, Shape{2, 32, 7, 5}}) {
    Tensor<float> x(shape);
    for (float& v : x) v = static_cast<float>(std::round(rng.normal() * 2) / 2);
    x[17] = std::nanf("");
    for (const int64_t block : {8, 16}) {
      for (const bool from_relu : {false, true}) {
        MaxPool2d<float> plain(2), blocked(2);
        EXPECT_TRUE(blocked.takes_channel_blocks());
        for (MaxPool2d<float>* pool : {&plain, &blocked}) {
          pool->set_needs_input_grad(true);
          pool->set_input_from_relu(from_relu);
        }
        Tensor<float> x_blocked, dy_blocked;
        convert_channel_blocks(x, block, x_blocked);
        const Tensor<float>& y = plain.forward(x);
        const Tensor<float>& y_blocked = blocked.forward(x_blocked);
        EXPECT_EQ(y_blocked.channel_block(), block);
        Tensor<float> y_back;
        convert_channel_blocks(y_blocked, 0, y_back);
        for (int64_t i = 0; i < y.size(); ++i) {
          if (std::isnan(y[i])) {
            EXPECT_TRUE(std::isnan(y_back[i])) << i;
          } else {
            ASSERT_EQ(y_back[i], y[i]) << i;
          }
        }
        const Tensor<float> dy = cb_random(y.shape(), rng);
        convert_channel_blocks(dy, block, dy_blocked);
        const Tensor<float>& dx_blocked = blocked.backward(dy_blocked);
        EXPECT_EQ(dx_blocked.channel_block(), block);
        cb_expect_same(dx_blocked, plain.backward(dy), 0, "MaxPool2d dx");
      }
    }
  }
  EXPECT_FALSE(MaxPool2d<float>(3, 2).takes_channel_blocks());
}

}  // namespace nnlab::test
