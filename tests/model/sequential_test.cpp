#include "nnlab/model/sequential.h"

#include "nnlab/gradcheck/gradcheck.h"
#include "nnlab/losses/softmax_cross_entropy.h"
#include "nnlab/model/model_spec.h"
#include "test_util.h"

namespace nnlab::test {

TEST(Sequential, NamesParametersLikePyTorch) {
  Sequential<float> model = build_model<float>("linear:5,relu,linear:3:bias=false", Shape{4});
  const auto params = model.parameters();
  ASSERT_EQ(params.size(), 3u);
  EXPECT_EQ(params[0].name, "0.weight");
  EXPECT_EQ(params[0].value->shape(), (Shape{5, 4}));
  EXPECT_EQ(params[1].name, "0.bias");
  EXPECT_FALSE(params[1].decay);
  EXPECT_EQ(params[2].name, "2.weight");
  EXPECT_EQ(model.parameter_count(), 5 * 4 + 5 + 3 * 5);
  EXPECT_EQ(model.spec(), "linear:5,relu,linear:3:bias=false");
  EXPECT_EQ(model.output_shape(), (Shape{3}));
}

TEST(Sequential, SwitchesTrainAndEvalModeOnEveryLayer) {
  Sequential<float> model = build_model<float>("linear:5,relu,linear:3", Shape{4});
  EXPECT_TRUE(model.training());
  model.eval();
  for (size_t i = 0; i < model.size(); ++i) EXPECT_FALSE(model[i].training());
  model.train();
  for (size_t i = 0; i < model.size(); ++i) EXPECT_TRUE(model[i].training());
}

TEST(Sequential, WholeModelGradientCheck) {
  Rng rng(11);
  Sequential<double> model = build_model<double>("linear:8,sigmoid,linear:6,tanh,linear:5,relu,linear:4", Shape{1, 3, 3});
  model.initialize(Initializer::xavier_normal(), rng);
  Tensor<double> x(Shape{5, 1, 3, 3});
  for (double& v : x) v = rng.normal();
  Tensor<double> target(Shape{5}, std::vector<double>{0, 1, 2, 3, 1});
  SoftmaxCrossEntropy<double> loss;
  const auto report = check_model_gradients(model, loss, x, target);
  EXPECT_TRUE(report.passed()) << report.str();
  EXPECT_EQ(report.entries.size(), 1u + 8u);  // input + 4 weights + 4 biases
}

TEST(ModelSpec, BuildsEveryActivation) {
  for (const auto& name : activation_names()) {
    Sequential<float> model = build_model<float>("linear:3," + name + ",linear:2", Shape{4});
    EXPECT_EQ(model.size(), 3u);
    EXPECT_EQ(model.spec(), "linear:3," + name + ",linear:2");
  }
  EXPECT_EQ(mlp_spec({100, 50}, "tanh", 10), "linear:100,tanh,linear:50,tanh,linear:10");
}

TEST(ModelSpec, NamesTheBadPart) {
  auto message = [](const std::string& spec) {
    try {
      build_model<float>(spec, Shape{4});
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message("linear:5,relux").find("unknown layer 'relux'"), std::string::npos) << message("linear:5,relux");
  EXPECT_NE(message("linear:abc").find("'abc' is not a positive integer"), std::string::npos);
  EXPECT_NE(message("linear:5,,relu").find("empty layer"), std::string::npos);
  EXPECT_NE(message("linear:5:bias=maybe").find("bias=maybe"), std::string::npos);
  EXPECT_NE(message("relu:3").find("too many values"), std::string::npos);
  EXPECT_NE(message("linear").find("missing output size"), std::string::npos);
}

TEST(Initializer, GivesTheRequestedSpread) {
  Rng rng(0);
  Tensor<double> w(Shape{400, 300});
  auto std_of = [&](const Initializer& init) {
    init.fill(w, 300, 400, rng);
    double sum = 0, sq = 0;
    for (double v : w) {
      sum += v;
      sq += v * v;
    }
    const double n = static_cast<double>(w.size());
    return std::sqrt(sq / n - (sum / n) * (sum / n));
  };
  EXPECT_NEAR(std_of(Initializer::normal(0.01)), 0.01, 2e-4);
  EXPECT_NEAR(std_of(Initializer::he_normal()), std::sqrt(2.0 / 300), 2e-3);
  EXPECT_NEAR(std_of(Initializer::he_uniform()), std::sqrt(2.0 / 300), 2e-3);
  EXPECT_NEAR(std_of(Initializer::xavier_normal()), std::sqrt(2.0 / 700), 2e-3);
  EXPECT_NEAR(std_of(Initializer::xavier_uniform()), std::sqrt(2.0 / 700), 2e-3);
  EXPECT_NEAR(std_of(Initializer::lecun_normal()), std::sqrt(1.0 / 300), 2e-3);
  Initializer::he_uniform().fill(w, 300, 400, rng);
  for (double v : w) EXPECT_LE(std::abs(v), std::sqrt(6.0 / 300));
  Initializer::constant(0.25).fill(w, 300, 400, rng);
  EXPECT_EQ(w[123], 0.25);
}

TEST(Initializer, ParsesNamesAndRejectsBadOnes) {
  EXPECT_EQ(Initializer::parse("he").str(), "he-normal");
  EXPECT_EQ(Initializer::parse("xavier-uniform").str(), "xavier-uniform");
  EXPECT_EQ(Initializer::parse("normal:0.01").value(), 0.01);
  EXPECT_EQ(Initializer::parse("zero").kind(), Initializer::Kind::kConstant);
  EXPECT_THROW(Initializer::parse("normal"), std::invalid_argument);
  EXPECT_THROW(Initializer::parse("normal:abc"), std::invalid_argument);
  EXPECT_THROW(Initializer::parse("glorious"), std::invalid_argument);
}

TEST(Initializer, SameSeedSameWeights) {
  Sequential<float> a = build_model<float>("linear:5,relu,linear:3", Shape{4});
  Sequential<float> b = build_model<float>("linear:5,relu,linear:3", Shape{4});
  Rng ra(9), rb(9);
  a.initialize(Initializer::he_normal(), ra);
  b.initialize(Initializer::he_normal(), rb);
  for (size_t k = 0; k < a.parameters().size(); ++k) {
    const auto& x = *a.parameters()[k].value;
    const auto& y = *b.parameters()[k].value;
    for (int64_t i = 0; i < x.size(); ++i) EXPECT_EQ(x[i], y[i]);
  }
}

}  // namespace nnlab::test

namespace nnlab::test {

TEST(ModelSpec, TakesAPerLayerInitialiser) {
  Sequential<double> model = build_model<double>("linear:200:init=normal:0.01,relu,linear:300", Shape{300});
  EXPECT_EQ(model.spec(), "linear:200:init=normal:0.01,relu,linear:300");
  Rng rng(0);
  model.initialize(Initializer::constant(0.5), rng);
  const auto params = model.parameters();
  double sq = 0;
  for (double w : *params[0].value) sq += w * w;
  EXPECT_NEAR(std::sqrt(sq / static_cast<double>(params[0].value->size())), 0.01, 5e-4);  // the layer's own
  EXPECT_EQ((*params[2].value)[17], 0.5);                                               // the model's
  EXPECT_THROW(build_model<double>("linear:5,relu:init=he", Shape{3}), std::invalid_argument);
  EXPECT_THROW(build_model<double>("linear:5:init=bogus", Shape{3}), std::invalid_argument);
}

}  // namespace nnlab::test
