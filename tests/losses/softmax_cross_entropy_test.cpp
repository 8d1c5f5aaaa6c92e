#include "nnlab/losses/softmax_cross_entropy.h"

#include <cmath>

#include "nnlab/gradcheck/gradcheck.h"
#include "nnlab/layers/linear.h"
#include "nnlab/model/sequential.h"
#include "test_util.h"

namespace nnlab::test {

namespace {
template <typename T>
void expect_cross_entropy_reference(double tolerance) {
  const auto c = layer_case("softmax_cross_entropy");
  const auto labels = c.at("settings").at("targets").get<std::vector<double>>();
  const Tensor<T> target = Tensor<double>(Shape{static_cast<int64_t>(labels.size())}, labels).cast<T>();
  const Tensor<T> x = tensor_from_json(c.at("x")).cast<T>();
  SoftmaxCrossEntropy<T> loss;
  const T value = loss.forward(x, target);
  EXPECT_NEAR(value, c.at("y").at("data")[0].get<double>(), tolerance);
  const T upstream = static_cast<T>(c.at("dy").at("data")[0].get<double>());
  EXPECT_TRUE(tensors_near(loss.backward(upstream), tensor_from_json(c.at("dx")), tolerance));
}
}  // namespace

TEST(SoftmaxCrossEntropy, MatchesPyTorchInFloat64) { expect_cross_entropy_reference<double>(1e-10); }
TEST(SoftmaxCrossEntropy, MatchesPyTorchInFloat32) { expect_cross_entropy_reference<float>(1e-5); }

TEST(SoftmaxCrossEntropy, IsStableForHugeLogits) {
  SoftmaxCrossEntropy<float> loss;
  Tensor<float> logits(Shape{2, 3}, std::vector<float>{1e4f, 0.f, -1e4f, 0.f, 0.f, 1e4f});
  Tensor<float> target(Shape{2}, std::vector<float>{0.f, 0.f});
  // Sample 0 is right with certainty (loss 0); sample 1 is wrong by 1e4.
  EXPECT_NEAR(loss.forward(logits, target), 5000.0f, 1e-2f);
  const Tensor<float>& dx = loss.backward();
  for (float g : dx) EXPECT_TRUE(std::isfinite(g));
  EXPECT_NEAR(dx[3], -0.5f, 1e-6f);  // (p − 1)/N with p = 0
  EXPECT_NEAR(dx[5], 0.5f, 1e-6f);
}

TEST(SoftmaxCrossEntropy, AcceptsProbabilityTargets) {
  SoftmaxCrossEntropy<double> by_index;
  SoftmaxCrossEntropy<double> by_probability;
  Tensor<double> logits(Shape{2, 3}, std::vector<double>{0.5, -1, 2, 0.1, 0.2, 0.3});
  Tensor<double> index(Shape{2}, std::vector<double>{2, 0});
  Tensor<double> onehot(Shape{2, 3}, std::vector<double>{0, 0, 1, 1, 0, 0});
  EXPECT_NEAR(by_index.forward(logits, index), by_probability.forward(logits, onehot), 1e-14);
  EXPECT_TRUE(tensors_near(by_index.backward(), by_probability.backward().cast<double>(), 1e-14));
}

TEST(SoftmaxCrossEntropy, RejectsBadTargets) {
  SoftmaxCrossEntropy<float> loss;
  Tensor<float> logits(Shape{2, 3});
  EXPECT_THROW(loss.forward(logits, Tensor<float>(Shape{2}, std::vector<float>{0.f, 3.f})), std::invalid_argument);
  EXPECT_THROW(loss.forward(logits, Tensor<float>(Shape{2}, std::vector<float>{0.f, 1.5f})), std::invalid_argument);
  EXPECT_THROW(loss.forward(logits, Tensor<float>(Shape{3})), std::invalid_argument);
}

TEST(SoftmaxCrossEntropy, GradientCheckThroughALinearLayer) {
  Rng rng(3);
  Sequential<double> model(Shape{5});
  model.add(std::make_unique<Linear<double>>(5, 4));
  model.initialize(Initializer::normal(1.0), rng);
  Tensor<double> x(Shape{6, 5});
  for (double& v : x) v = rng.normal();
  Tensor<double> target(Shape{6}, std::vector<double>{0, 1, 2, 3, 0, 1});
  SoftmaxCrossEntropy<double> loss;
  const auto report = check_model_gradients(model, loss, x, target);
  EXPECT_TRUE(report.passed()) << report.str();
}

}  // namespace nnlab::test
