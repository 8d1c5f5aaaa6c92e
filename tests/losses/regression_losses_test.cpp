// The regression losses against PyTorch (tests/data/regression_losses.json, from
// scripts/reference/regression_losses_reference.py), their gradients through a model,
// and the factory's names.

#include <gtest/gtest.h>

#include "nnlab/gradcheck/gradcheck.h"
#include "nnlab/losses/huber.h"
#include "nnlab/losses/loss_factory.h"
#include "nnlab/losses/mean_absolute_error.h"
#include "nnlab/model/model_spec.h"
#include "test_util.h"

namespace nnlab::test {

namespace {

template <typename T>
void expect_case(const std::string& name, double tolerance) {
  static const nlohmann::json cases = load_json("regression_losses.json").at("cases");
  for (const auto& c : cases) {
    if (c.at("name") != name) continue;
    const Tensor<T> x = tensor_from_json(c.at("x")).cast<T>();
    const Tensor<T> target = tensor_from_json(c.at("target")).cast<T>();
    const std::unique_ptr<Loss<T>> loss = make_loss<T>(c.at("spec").get<std::string>());
    EXPECT_EQ(loss->spec(), c.at("spec").get<std::string>());
    EXPECT_NEAR(loss->forward(x, target), c.at("y").get<double>(), tolerance) << name;
    const Tensor<T>& dx = loss->backward(static_cast<T>(c.at("dy").get<double>()));
    EXPECT_TRUE(tensors_near(dx, tensor_from_json(c.at("dx")), tolerance)) << name;
    return;
  }
  FAIL() << "no case " << name;
}

}  // namespace

TEST(RegressionLosses, MatchPyTorchInFloat64) {
  for (const char* name : {"mse", "mae", "huber", "huber-0.5"}) expect_case<double>(name, 1e-12);
}

TEST(RegressionLosses, MatchPyTorchInFloat32) {
  for (const char* name : {"mse", "mae", "huber", "huber-0.5"}) expect_case<float>(name, 1e-5);
}

TEST(RegressionLosses, ByHand) {
  // Differences 0, 0.5, -3 against δ = 1.
  const Tensor<double> y(Shape{3, 1}, std::vector<double>{1, 2.5, -2});
  const Tensor<double> t(Shape{3, 1}, std::vector<double>{1, 2, 1});
  MeanAbsoluteError<double> mae;
  EXPECT_DOUBLE_EQ(mae.forward(y, t), 3.5 / 3);
  const Tensor<double>& dmae = mae.backward();
  EXPECT_EQ(std::vector<double>(dmae.begin(), dmae.end()), (std::vector<double>{0, 1.0 / 3, -1.0 / 3}));
  Huber<double> huber;
  EXPECT_DOUBLE_EQ(huber.forward(y, t), (0 + 0.125 + 2.5) / 3);
  const Tensor<double>& dhuber = huber.backward();
  EXPECT_EQ(std::vector<double>(dhuber.begin(), dhuber.end()), (std::vector<double>{0, 0.5 / 3, -1.0 / 3}));
  EXPECT_THROW(mae.forward(y, Tensor<double>(Shape{3, 2})), std::invalid_argument);
}

TEST(RegressionLosses, GradientCheckThroughAModel) {
  for (const char* spec : {"mae", "huber", "huber:0.3"}) {
    Rng rng(6);
    Sequential<double> model = build_model<double>("linear:6,tanh,linear:2", Shape{3});
    model.initialize(Initializer::xavier_normal(), rng);
    Tensor<double> x(Shape{5, 3}), target(Shape{5, 2});
    for (double& v : x) v = rng.normal();
    for (double& v : target) v = rng.normal();
    const auto loss = make_loss<double>(spec);
    const auto report = check_model_gradients(model, *loss, x, target);
    EXPECT_TRUE(report.passed()) << spec << "\n" << report.str();
  }
}

TEST(RegressionLosses, FactoryNamesEveryLossAndRefusesOthers) {
  EXPECT_EQ(make_loss<float>("cross-entropy")->type(), "SoftmaxCrossEntropy");
  EXPECT_EQ(make_loss<float>("mse")->type(), "MeanSquaredError");
  EXPECT_EQ(make_loss<float>("huber:0.25")->spec(), "huber:0.25");
  EXPECT_TRUE(regression_loss("huber:2"));
  EXPECT_FALSE(regression_loss("cross-entropy"));
  for (const char* bad : {"l2", "huber:", "huber:abc", "huber:-1", "huber:0", "huber:nan"}) {
    try {
      make_loss<float>(bad);
      ADD_FAILURE() << bad;
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(bad == std::string("l2") ? "known:" : "huber"), std::string::npos)
          << e.what();
    }
  }
}

}  // namespace nnlab::test
