#include "layers/layer_checks.h"
#include "nnlab/layers/identity.h"
#include "nnlab/layers/step.h"

namespace nnlab::test {

TEST(Identity, PassesValuesAndGradientsThrough) {
  Identity<double> layer;
  Tensor<double> x(Shape{2, 2}, std::vector<double>{1, -2, 3, -4});
  EXPECT_EQ(&layer.forward(x), &x);
  EXPECT_EQ(layer.forward(x)[1], -2);
  expect_gradients_check(layer, Shape{3, 5});
}

TEST(Step, OutputsOneForPositiveInputAndZeroOtherwise) {
  Step<float> layer;
  Tensor<float> x(Shape{1, 4}, std::vector<float>{-1.f, 0.f, 1e-6f, 3.f});
  const Tensor<float>& y = layer.forward(x);
  EXPECT_EQ(y[0], 0.f);
  EXPECT_EQ(y[1], 0.f);
  EXPECT_EQ(y[2], 1.f);
  EXPECT_EQ(y[3], 1.f);
}

TEST(Step, RefusesToTrainWithAClearMessage) {
  Step<float> layer;
  EXPECT_FALSE(layer.differentiable());
  layer.forward(Tensor<float>(Shape{1, 2}));
  try {
    layer.backward(Tensor<float>(Shape{1, 2}));
    FAIL() << "Step::backward must throw";
  } catch (const std::logic_error& e) {
    EXPECT_NE(std::string(e.what()).find("gradient is zero almost everywhere"), std::string::npos) << e.what();
  }
}

}  // namespace nnlab::test
