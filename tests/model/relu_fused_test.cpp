// A ReLU applied by the module before it (Module::set_relu_out: BatchNorm, Residual), which
// Sequential asks for unless hooks are set: the output, the input gradient and every parameter
// gradient must be, to the last bit, those of the same model with a hook (each layer on its own).
// Checked where no channel blocks come in (double; float without convolutions), since with hooks a
// float model also computes in NCHW, which rounds BatchNorm's sums in another order.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "nnlab/init/initializer.h"
#include "nnlab/layers/batchnorm.h"
#include "nnlab/layers/relu.h"
#include "nnlab/model/model_spec.h"
#include "nnlab/tensor/random.h"

namespace nnlab::test {
namespace {

template <typename T>
void fused_expect_same_bits(const Tensor<T>& got, const Tensor<T>& want, const std::string& what) {
  ASSERT_EQ(got.shape(), want.shape()) << what;
  for (int64_t i = 0; i < want.size(); ++i) {
    ASSERT_EQ(got[i], want[i]) << what << ", element " << i;
  }
}

// Two training steps of `spec`, with and without a forward hook, from the same weights.
template <typename T>
void expect_fused_as_alone(const std::string& spec, const Shape& sample, int64_t batch) {
  Rng rng(17);
  auto fused = build_model<T>(spec, sample);
  auto alone = build_model<T>(spec, sample);
  fused.initialize(Initializer::he_normal(), rng);
  auto from = fused.parameters();
  auto to = alone.parameters();
  ASSERT_EQ(from.size(), to.size());
  for (size_t p = 0; p < from.size(); ++p) *to[p].value = *from[p].value;
  fused.set_input_grad(true);
  alone.set_input_grad(true);
  int64_t hook_calls = 0;
  HookHandle<T> hook =
      alone.add_forward_hook([&](size_t, Module<T>&, const Tensor<T>&, const Tensor<T>&) { ++hook_calls; });

  std::vector<int64_t> dims{batch};
  for (int axis = 0; axis < sample.rank(); ++axis) dims.push_back(sample[axis]);
  Tensor<T> x{Shape(dims)};
  for (T& v : x) v = T(rng.normal());
  for (int step = 0; step < 2; ++step) {
    const Tensor<T>& y = fused.forward(x);
    const Tensor<T>& y_alone = alone.forward(x);
    fused_expect_same_bits(y, y_alone, spec + ": y");
    Tensor<T> dy(y.shape());
    for (T& v : dy) v = T(rng.normal());
    fused.zero_grad();
    alone.zero_grad();
    fused_expect_same_bits(fused.backward(dy), alone.backward(dy), spec + ": dx");
    from = fused.parameters();
    to = alone.parameters();
    for (size_t p = 0; p < from.size(); ++p)
      fused_expect_same_bits(*from[p].grad, *to[p].grad, spec + ": d" + from[p].name);
  }
  EXPECT_EQ(hook_calls, 2 * static_cast<int64_t>(alone.size()));
}

}  // namespace

TEST(ReluFused, BatchNormThenReluGivesTheBitsOfTheLayersApart) {
  expect_fused_as_alone<float>("batchnorm,relu,linear:3", Shape{6}, 5);
  expect_fused_as_alone<double>("batchnorm,relu,linear:3", Shape{6}, 5);
  expect_fused_as_alone<float>("batchnorm,relu,maxpool:2,flatten,linear:3", Shape{3, 6, 6}, 4);
  expect_fused_as_alone<double>("conv:4x3x3:pad=1,batchnorm,relu,conv:4x3x3,batchnorm,relu", Shape{2, 7, 7}, 3);
}

TEST(ReluFused, ConvolutionThenReluGivesTheBitsOfTheLayersApart) {
  // im2col + GEMM (double), the one-channel kernel and oneDNN's post-op (float; oneDNN's keeps −0 where
  // the ReLU gives +0, equal as values).
  expect_fused_as_alone<double>("conv:4x3x3,relu,conv:4x3x3:pad=1,relu,flatten,linear:2", Shape{2, 7, 7}, 3);
  expect_fused_as_alone<float>("conv:5x3x3,relu,conv:4x3x3:pad=1,relu,flatten,linear:2", Shape{1, 7, 7}, 3);
  expect_fused_as_alone<float>("conv:16x3x3:pad=1,relu,conv:16x3x3:pad=1,relu,maxpool:2,conv:32x3x3,relu,gap,linear:3",
                               Shape{1, 8, 8}, 4);
}

TEST(ReluFused, ResidualThenReluGivesTheBitsOfTheLayersApart) {
  // The resnet preset's pattern (a ReLU after each block, before a pool or the GAP), and a block
  // whose body ends in a ReLU that its own BatchNorm applies; identity and projection shortcuts.
  expect_fused_as_alone<double>(
      "conv:4x3x3:pad=1,batchnorm,relu,res(conv:4x3x3:pad=1,batchnorm,relu,conv:4x3x3:pad=1,batchnorm),relu,"
      "maxpool:2,res(conv:8x3x3:pad=1,batchnorm,relu),relu,gap,linear:3",
      Shape{1, 8, 8}, 3);
  expect_fused_as_alone<float>("res(linear:6,batchnorm,relu,linear:6),relu,res(linear:4),relu,linear:2", Shape{6}, 5);
}

TEST(ReluFused, TheReluReturnsTheOutputOfTheBatchNormBeforeIt) {
  Sequential<float> model = build_model<float>("batchnorm,relu", Shape{4});
  Tensor<float> x(Shape{3, 4});
  Rng rng(2);
  for (float& v : x) v = static_cast<float>(rng.normal());
  const Tensor<float>& y = model.forward(x);
  int64_t zeros = 0;
  for (const float v : y) {
    EXPECT_GE(v, 0.0f);
    zeros += v == 0.0f ? 1 : 0;
  }
  EXPECT_GT(zeros, 0);
  // No pass of the ReLU's own: what the model returns is the BatchNorm's buffer.
  EXPECT_EQ(&y, &model[0].forward(x));
  // Called on its own, the ReLU computes (and is not left believing its input rectified).
  ReLU<float>& relu = dynamic_cast<ReLU<float>&>(model[1]);
  const Tensor<float>& z = relu.forward(x);
  EXPECT_NE(&z, &x);
  for (int64_t i = 0; i < x.size(); ++i) EXPECT_EQ(z[i], x[i] > 0 ? x[i] : 0.0f);
  // With a hook each layer gives its own output: the BatchNorm's is not rectified.
  bool negative_seen = false;
  HookHandle<float> hook =
      model.add_forward_hook(0, [&](size_t, Module<float>&, const Tensor<float>&, const Tensor<float>& out) {
        for (const float v : out) negative_seen = negative_seen || v < 0;
      });
  model.forward(x);
  EXPECT_TRUE(negative_seen);
}

}  // namespace nnlab::test
