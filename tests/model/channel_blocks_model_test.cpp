// Models that hand channel-blocked batches from layer to layer (Sequential, Residual; Tensor::
// channel_block): the float model, which computes in blocks between its convolutions, against the
// same model in double, which never does (oneDNN is float only). A value in the wrong place would
// be far off; rounding stays near float's precision. (A conv's bias before a BatchNorm has a gradient
// of 0 up to rounding, a sum of N·H·W float terms that cancel: hence the absolute floor, larger for
// the parameter gradients: 1.5e-5 for the resnet stem's, on oneDNN, against 6e-16 in double.)
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "nnlab/init/initializer.h"
#include "nnlab/kernels/onednn_conv.h"
#include "nnlab/model/model_spec.h"
#include "nnlab/tensor/random.h"

namespace nnlab::test {
namespace {

void blocks_expect_close(const Tensor<float>& got, const Tensor<double>& want, double tol, const std::string& what,
                         double floor = 1e-5) {
  ASSERT_EQ(got.shape(), want.shape()) << what;
  EXPECT_EQ(got.channel_block(), 0) << what << ": what leaves a model is NCHW";
  double largest = 0;
  for (const double v : want) largest = std::max(largest, std::abs(v));
  for (int64_t i = 0; i < want.size(); ++i) {
    ASSERT_NEAR(got[i], want[i], tol * largest + floor) << what << ", element " << i;
  }
}

// One training step's output, input gradient and parameter gradients of `spec` in float and double.
void expect_float_as_double(const std::string& spec, const Shape& sample, int64_t batch) {
  Rng rng(11);
  auto single = build_model<float>(spec, sample);
  auto twin = build_model<double>(spec, sample);
  single.initialize(Initializer::he_normal(), rng);
  auto from = single.parameters();
  auto to = twin.parameters();
  ASSERT_EQ(from.size(), to.size());
  for (size_t p = 0; p < from.size(); ++p) *to[p].value = from[p].value->cast<double>();
  single.set_input_grad(true);
  twin.set_input_grad(true);

  Tensor<float> x(Shape{batch, sample[0], sample[1], sample[2]});
  for (float& v : x) v = static_cast<float>(rng.uniform());
  const Tensor<double> x_twin = x.cast<double>();  // layers keep a pointer to their input: no temporaries
  for (int step = 0; step < 2; ++step) {           // the second: on the kept primitives and buffers
    const Tensor<float>& y = single.forward(x);
    const Tensor<double>& y_twin = twin.forward(x_twin);
    blocks_expect_close(y, y_twin, 1e-4, spec + ": y");
    Tensor<float> dy(y.shape());
    for (float& v : dy) v = static_cast<float>(rng.normal());
    single.zero_grad();
    twin.zero_grad();
    const Tensor<float>& dx = single.backward(dy);
    const Tensor<double> dy_twin = dy.cast<double>();
    const Tensor<double>& dx_twin = twin.backward(dy_twin);
    blocks_expect_close(dx, dx_twin, 1e-3, spec + ": dx");
    from = single.parameters();
    to = twin.parameters();
    for (size_t p = 0; p < from.size(); ++p)
      blocks_expect_close(*from[p].grad, *to[p].grad, 1e-3, spec + ": d" + from[p].name, 1e-4);
  }
}

}  // namespace

TEST(ChannelBlocksModel, ResidualPresetInFloatMatchesDouble) {
  if (!onednn_available()) GTEST_SKIP() << "built without oneDNN: no channel blocks";
  // Without its Dropout, whose masks float and double draw apart.
  std::string spec = preset_spec("resnet");
  const std::string dropout = ",dropout:0.2";
  ASSERT_NE(spec.find(dropout), std::string::npos);
  spec.erase(spec.find(dropout), dropout.size());
  expect_float_as_double(spec, Shape{1, 28, 28}, 6);
}

TEST(ChannelBlocksModel, BlocksMeetLayersThatDoNotTakeThem) {
  if (!onednn_available()) GTEST_SKIP() << "built without oneDNN: no channel blocks";
  // Blocks end at a max pool, a flatten and a model's output; an identity shortcut adds an NCHW x
  // to a blocked body; a 1×1 projection and a BatchNorm at the end of a body.
  expect_float_as_double("conv:16x3x3:pad=1,relu,conv:16x3x3:pad=1,batchnorm,maxpool:2,flatten,linear:5",
                         Shape{3, 8, 8}, 4);
  expect_float_as_double(
      "conv:16x3x3:pad=1,res(conv:16x3x3:pad=1,relu,conv:16x3x3:pad=1),"
      "res(conv:32x3x3:pad=1,batchnorm),relu,gap,linear:3",
      Shape{2, 6, 6}, 3);
  expect_float_as_double("conv:16x3x3:pad=1,conv:16x3x3:pad=1", Shape{8, 5, 5}, 2);
}

}  // namespace nnlab::test
