// Sequential's ReLU followed by MaxPool2d: the pool masks the gradient it sends back and the
// ReLU passes it on untouched (src/model/sequential.cpp). The gradients must be, to the last bit,
// those of the two layers run on their own, with inputs full of negatives, exact zeros and ties.
#include <gtest/gtest.h>

#include "nnlab/layers/max_pool2d.h"
#include "nnlab/layers/relu.h"
#include "nnlab/model/model_spec.h"
#include "nnlab/model/sequential.h"
#include "test_util.h"

namespace nnlab::test {
namespace {

template <typename T>
Tensor<T> relu_pool_input(Rng& rng) {
  Tensor<T> x(Shape{3, 2, 6, 6});
  for (T& v : x) {
    const double u = rng.uniform();
    v = u < 0.3 ? T(0) : u < 0.5 ? T(-1) : T(std::round(rng.normal() * 4) / 4);  // zeros, ties
  }
  return x;
}

template <typename T>
void expect_linked_equals_alone(int64_t kernel, int64_t stride) {
  Rng rng(5);
  const Tensor<T> x = relu_pool_input<T>(rng);
  Sequential<T> model(Shape{2, 6, 6});
  model.add(std::make_unique<ReLU<T>>());
  model.add(std::make_unique<MaxPool2d<T>>(kernel, stride));
  model.set_needs_input_grad(true);
  const Tensor<T>& y = model.forward(x);
  Tensor<T> dy(y.shape());
  for (T& v : dy) v = T(rng.normal());
  const Tensor<T> dx = model.backward(dy);

  ReLU<T> relu;
  MaxPool2d<T> pool(kernel, stride);
  const Tensor<T>& y_alone = pool.forward(relu.forward(x));
  const Tensor<T>& dx_alone = relu.backward(pool.backward(dy));
  ASSERT_EQ(y.shape(), y_alone.shape());
  ASSERT_EQ(dx.shape(), dx_alone.shape());
  int64_t zeroed = 0;
  for (int64_t i = 0; i < dx.size(); ++i) {
    EXPECT_EQ(dx[i], dx_alone[i]) << "element " << i;
    if (x[i] <= T(0)) {
      EXPECT_EQ(dx[i], T(0)) << "element " << i;
    }
    zeroed += dx_alone[i] == T(0) ? 1 : 0;
  }
  EXPECT_GT(zeroed, dx.size() / 2);  // the mask mattered
}

}  // namespace

TEST(ReluMaxPool, LinkedInSequentialGivesTheGradientsOfTheLayersAlone) {
  expect_linked_equals_alone<float>(2, 2);
  expect_linked_equals_alone<double>(2, 2);
  expect_linked_equals_alone<float>(3, 1);  // overlapping windows: gradients add up at a pixel
  expect_linked_equals_alone<double>(3, 2);
}

TEST(ReluMaxPool, TheReluPassesThePoolsGradientOn) {
  Sequential<float> model = build_model<float>("conv:2x3x3,relu,maxpool:2,relu,linear:3", Shape{1, 6, 6});
  Rng rng(3);
  model.initialize(Initializer::he_normal(), rng);
  Tensor<float> x(Shape{2, 1, 6, 6});
  for (float& v : x) v = static_cast<float>(rng.normal());
  model.forward(x);
  Tensor<float> dy(Shape{2, 3}, 1.0f);
  model.backward(dy);
  // The ReLU before the pool returned the pool's own gradient buffer; the one before the Linear
  // layer computed its own.
  EXPECT_EQ(&model[1].backward(model[2].backward(model[3].backward(model[4].backward(dy)))),
            &model[2].backward(model[3].backward(model[4].backward(dy))));
  EXPECT_NE(&model[3].backward(model[4].backward(dy)), &model[4].backward(dy));
}

}  // namespace nnlab::test
