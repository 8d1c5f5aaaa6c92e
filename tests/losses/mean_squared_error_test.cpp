#include "nnlab/losses/mean_squared_error.h"

#include "nnlab/gradcheck/gradcheck.h"
#include "nnlab/layers/linear.h"
#include "nnlab/layers/tanh.h"
#include "nnlab/model/sequential.h"
#include "test_util.h"

namespace nnlab::test {

namespace {
template <typename T>
void expect_mse_reference(double tolerance) {
  const auto c = layer_case("mse");
  const Tensor<T> x = tensor_from_json(c.at("x")).cast<T>();
  const Tensor<T> target =
      Tensor<double>(x.shape(), c.at("settings").at("target").get<std::vector<double>>()).cast<T>();
  MeanSquaredError<T> loss;
  EXPECT_NEAR(loss.forward(x, target), c.at("y").at("data")[0].get<double>(), tolerance);
  const T upstream = static_cast<T>(c.at("dy").at("data")[0].get<double>());
  EXPECT_TRUE(tensors_near(loss.backward(upstream), tensor_from_json(c.at("dx")), tolerance));
}
}  // namespace

TEST(MeanSquaredError, MatchesPyTorchInFloat64) { expect_mse_reference<double>(1e-10); }
TEST(MeanSquaredError, MatchesPyTorchInFloat32) { expect_mse_reference<float>(1e-5); }

TEST(MeanSquaredError, IsTheMeanOverAllElements) {
  MeanSquaredError<double> loss;
  Tensor<double> y(Shape{2, 2}, std::vector<double>{1, 2, 3, 4});
  Tensor<double> t(Shape{2, 2}, std::vector<double>{1, 0, 3, 0});
  EXPECT_DOUBLE_EQ(loss.forward(y, t), (4.0 + 16.0) / 4.0);
  EXPECT_DOUBLE_EQ(loss.backward()[1], 2 * 2.0 / 4.0);
  EXPECT_THROW(loss.forward(y, Tensor<double>(Shape{2, 3})), std::invalid_argument);
}

TEST(MeanSquaredError, GradientCheckThroughARegressionModel) {
  Rng rng(5);
  Sequential<double> model(Shape{3});
  model.add(std::make_unique<Linear<double>>(3, 6)).add(std::make_unique<Tanh<double>>());
  model.add(std::make_unique<Linear<double>>(6, 2));
  model.initialize(Initializer::xavier_normal(), rng);
  Tensor<double> x(Shape{5, 3}), target(Shape{5, 2});
  for (double& v : x) v = rng.normal();
  for (double& v : target) v = rng.normal();
  MeanSquaredError<double> loss;
  const auto report = check_model_gradients(model, loss, x, target);
  EXPECT_TRUE(report.passed()) << report.str();
}

}  // namespace nnlab::test
