#include "nnlab/gradcheck/gradcheck.h"

#include <set>

#include "nnlab/layers/dropout.h"
#include "nnlab/losses/mean_squared_error.h"
#include "nnlab/losses/softmax_cross_entropy.h"
#include "nnlab/model/model_spec.h"
#include "test_util.h"

namespace nnlab::test {

namespace {

Tensor<double> random_tensor(const Shape& shape, Rng& rng) {
  Tensor<double> t(shape);
  for (double& v : t) v = rng.normal();
  return t;
}

Sequential<double> initialized_model(const std::string& spec, const Shape& input, Rng& rng) {
  Sequential<double> model = build_model<double>(spec, input);
  model.initialize(Initializer::xavier_normal(), rng);
  for (auto& p : model.parameters()) {
    if (p.name.ends_with("bias")) {
      for (double& b : *p.value) b = 0.1 * rng.normal();
    }
  }
  return model;
}

// A Dropout whose backward forgets the mask (dx = dy): the bug a gradient check must catch.
class DropoutWithoutMaskInBackward final : public Module<double> {
 public:
  explicit DropoutWithoutMaskInBackward(double p) : dropout_(p, 7) {}
  std::string type() const override { return "BrokenDropout"; }
  std::string spec() const override { return "broken"; }
  Shape output_shape(const Shape& input_sample) const override { return input_sample; }
  const Tensor<double>& forward(const Tensor<double>& x) override { return dropout_.forward(x); }
  const Tensor<double>& backward(const Tensor<double>& dy) override { return dy; }
  std::vector<std::pair<std::string, Module<double>*>> children() const override { return {{"inner", &dropout_}}; }

 private:
  mutable Dropout<double> dropout_;  // mutable: children() is const but hands out the module
};

}  // namespace

TEST(GradientCheck, SampleCoordinatesDrawsExactlyNDistinctSortedIndices) {
  Rng rng(1);
  const std::vector<int64_t> chosen = sample_coordinates(1000, 200, rng);
  ASSERT_EQ(chosen.size(), 200u);
  EXPECT_EQ(std::set<int64_t>(chosen.begin(), chosen.end()).size(), 200u);
  EXPECT_TRUE(std::is_sorted(chosen.begin(), chosen.end()));
  EXPECT_GE(chosen.front(), 0);
  EXPECT_LT(chosen.back(), 1000);
  // Spread over the range, not the first 200: about 100 of 200 fall in each half.
  const auto first_half = std::count_if(chosen.begin(), chosen.end(), [](int64_t i) { return i < 500; });
  EXPECT_GT(first_half, 60);
  EXPECT_LT(first_half, 140);
}

TEST(GradientCheck, SampleCoordinatesIsSeeded) {
  Rng a(5), b(5), c(6);
  const std::vector<int64_t> first = sample_coordinates(432000, 200, a);
  EXPECT_EQ(first, sample_coordinates(432000, 200, b));
  EXPECT_NE(first, sample_coordinates(432000, 200, c));
}

TEST(GradientCheck, SampleCoordinatesTakesEveryOneForZeroOrTooMany) {
  Rng rng(2);
  EXPECT_EQ(sample_coordinates(4, 0, rng), (std::vector<int64_t>{0, 1, 2, 3}));
  EXPECT_EQ(sample_coordinates(4, 4, rng), (std::vector<int64_t>{0, 1, 2, 3}));
  EXPECT_EQ(sample_coordinates(3, 200, rng), (std::vector<int64_t>{0, 1, 2}));
  EXPECT_THROW(sample_coordinates(4, -1, rng), std::invalid_argument);
}

TEST(GradientCheck, DetectsAWrongGradient) {
  // L(v) = Σ v_i³, so dL/dv_i = 3 v_i².
  Tensor<double> v(Shape{6}, std::vector<double>{0.5, -1.0, 2.0, 0.25, -0.75, 1.5});
  auto objective = [&] {
    double sum = 0;
    for (double x : v) sum += x * x * x;
    return sum;
  };
  Tensor<double> right(v.shape());
  for (int64_t i = 0; i < v.size(); ++i) right[i] = 3 * v[i] * v[i];
  GradientCheckOptions options;
  Rng sampler(0);
  const GradientCheckEntry good = compare_gradient("v", v, right, objective, options, sampler);
  EXPECT_EQ(good.checked, 6);
  EXPECT_LT(good.max_error, 1e-9);

  Tensor<double> wrong = right;
  wrong[2] += 1e-4;  // 12 + 1e-4: relative error 1e-4 / 12
  const GradientCheckEntry bad = compare_gradient("v", v, wrong, objective, options, sampler);
  EXPECT_NEAR(bad.max_error, 1e-4 / 12.0001, 1e-8);  // wrong at every step: the smaller ones change nothing
  EXPECT_NEAR(bad.mean_absolute_error, 1e-4 / 6, 1e-8);
  EXPECT_EQ(bad.rechecked, 0);
  EXPECT_EQ(v[2], 2.0);  // restored
}

TEST(GradientCheck, RechecksAKinkWithASmallerStepButNotAWrongGradient) {
  // L(v) = Σ relu(v_i): v_0 lies 3e-6 from the kink, inside the step h = 1e-5.
  Tensor<double> v(Shape{3}, std::vector<double>{3e-6, 0.5, -0.7});
  auto objective = [&] {
    double sum = 0;
    for (double x : v) sum += std::max(x, 0.0);
    return sum;
  };
  const Tensor<double> right(Shape{3}, std::vector<double>{1, 1, 0});
  GradientCheckOptions once;
  once.smaller_steps = 0;
  Rng sampler(0);
  // (relu(1.3e-5) − relu(−0.7e-5)) / 2e-5 = 0.65 instead of 1.
  const GradientCheckEntry crossed = compare_gradient("v", v, right, objective, once, sampler);
  EXPECT_NEAR(crossed.max_error, 0.35, 1e-9);
  EXPECT_EQ(crossed.rechecked, 0);

  const GradientCheckEntry rechecked = compare_gradient("v", v, right, objective, GradientCheckOptions{}, sampler);
  EXPECT_LT(rechecked.max_error, 1e-9);  // h/10 = 1e-6 no longer reaches the kink
  EXPECT_EQ(rechecked.rechecked, 1);
  EXPECT_EQ(rechecked.checked, 3);

  Tensor<double> wrong = right;
  wrong[1] = 1.001;
  const GradientCheckEntry bad = compare_gradient("v", v, wrong, objective, GradientCheckOptions{}, sampler);
  EXPECT_NEAR(bad.max_error, 0.001 / 1.001, 1e-9);  // wrong at every step
  EXPECT_EQ(bad.rechecked, 1);                      // v_0 only
}

TEST(GradientCheck, ChecksExactlyNCoordinatesPerTensorAndIsSeeded) {
  auto run = [](uint64_t seed, std::vector<int64_t>* sampled) {
    Rng rng(3);
    Sequential<double> model = initialized_model("linear:40,tanh,linear:3", Shape{30}, rng);
    const Tensor<double> x = random_tensor(Shape{2, 30}, rng);
    const Tensor<double> target(Shape{2}, std::vector<double>{0, 2});
    SoftmaxCrossEntropy<double> loss;
    GradientCheckOptions options;
    options.coordinates = 25;
    options.seed = seed;
    const GradientCheckReport report = check_model_gradients(model, loss, x, target, options);
    EXPECT_TRUE(report.passed()) << report.str();
    // The coordinates it chose are those sample_coordinates draws, tensor after tensor, from the seed.
    Rng sampler(seed);
    for (const auto& e : report.entries) {
      for (int64_t i : sample_coordinates(e.elements, options.coordinates, sampler)) sampled->push_back(i);
    }
    return report;
  };
  std::vector<int64_t> a, b, c;
  const GradientCheckReport report = run(9, &a);
  ASSERT_EQ(report.entries.size(), 5u);  // input, 0.weight, 0.bias, 2.weight, 2.bias
  const std::vector<int64_t> elements = {60, 1200, 40, 120, 3};
  const std::vector<int64_t> checked = {25, 25, 25, 25, 3};
  for (size_t k = 0; k < elements.size(); ++k) {
    EXPECT_EQ(report.entries[k].elements, elements[k]) << report.entries[k].name;
    EXPECT_EQ(report.entries[k].checked, checked[k]) << report.entries[k].name;
  }
  EXPECT_EQ(report.checked(), 103);
  EXPECT_EQ(report.elements(), 1423);
  const GradientCheckReport again = run(9, &b);
  for (size_t k = 0; k < elements.size(); ++k) {
    EXPECT_EQ(again.entries[k].max_error, report.entries[k].max_error) << report.entries[k].name;
  }
  EXPECT_EQ(a, b);
  run(10, &c);
  EXPECT_NE(a, c);
}

TEST(GradientCheck, ReportsEachTensorAsItGoes) {
  Rng rng(4);
  Sequential<double> model = initialized_model("linear:4,relu,linear:2", Shape{3}, rng);
  const Tensor<double> x = random_tensor(Shape{2, 3}, rng);
  const Tensor<double> target = random_tensor(Shape{2, 2}, rng);
  MeanSquaredError<double> loss;
  GradientCheckOptions options;
  std::vector<std::string> seen;
  options.on_entry = [&](const GradientCheckEntry& e) { seen.push_back(e.name + " " + std::to_string(e.checked)); };
  check_model_gradients(model, loss, x, target, options);
  EXPECT_EQ(seen, (std::vector<std::string>{"input 6", "0.weight 12", "0.bias 4", "2.weight 8", "2.bias 2"}));
}

TEST(GradientCheck, DropoutModelIsCheckedInTrainingModeWithItsMaskFrozen) {
  for (const bool cross_entropy : {true, false}) {
    Rng rng(5);
    Sequential<double> model = initialized_model("linear:5,dropout:0.5,linear:3", Shape{12}, rng);
    const Tensor<double> x = random_tensor(Shape{2, 12}, rng);
    SoftmaxCrossEntropy<double> ce;
    MeanSquaredError<double> mse;
    const Tensor<double> target =
        cross_entropy ? Tensor<double>(Shape{2}, std::vector<double>{1, 2}) : random_tensor(Shape{2, 3}, rng);
    Loss<double>& loss = cross_entropy ? static_cast<Loss<double>&>(ce) : mse;
    const GradientCheckReport report = check_model_gradients(model, loss, x, target);
    EXPECT_TRUE(report.passed()) << report.str();
    EXPECT_EQ(report.frozen_dropout_layers, 1);
    auto& dropout = dynamic_cast<Dropout<double>&>(model[1]);
    EXPECT_TRUE(dropout.training());
    EXPECT_FALSE(dropout.mask_frozen());  // put back afterwards
    // The check went through a real mask: some of the 10 elements dropped, some kept and scaled by 2.
    int64_t dropped = 0;
    for (double m : dropout.mask()) {
      EXPECT_TRUE(m == 0.0 || m == 2.0) << m;
      dropped += m == 0.0;
    }
    EXPECT_GT(dropped, 0);
    EXPECT_LT(dropped, 10);
  }
}

TEST(GradientCheck, FreezesDropoutInsideResidualBlocks) {
  Rng rng(6);
  Sequential<double> model =
      initialized_model("linear:6,res(linear:6,relu,dropout:0.3),dropout:0.2,linear:3", Shape{4}, rng);
  const Tensor<double> x = random_tensor(Shape{3, 4}, rng);
  const Tensor<double> target(Shape{3}, std::vector<double>{0, 1, 2});
  SoftmaxCrossEntropy<double> loss;
  const GradientCheckReport report = check_model_gradients(model, loss, x, target);
  EXPECT_TRUE(report.passed()) << report.str();
  EXPECT_EQ(report.frozen_dropout_layers, 2);
}

TEST(GradientCheck, ChecksAModuleThatIsNotASequential) {
  // A residual block with a projection shortcut, checked on its own: every forward runs the whole
  // block. Its gradients agree with the same block's inside a Sequential (checked layer by layer).
  Rng rng(9);
  Sequential<double> wrapped = initialized_model("res(linear:5,tanh,linear:5)", Shape{3}, rng);
  Module<double>& block = wrapped[0];
  ASSERT_EQ(block.type(), "Residual");
  const Tensor<double> x = random_tensor(Shape{4, 3}, rng);
  const Tensor<double> target = random_tensor(Shape{4, 5}, rng);
  MeanSquaredError<double> loss;
  const GradientCheckReport alone = check_model_gradients(block, loss, x, target);
  EXPECT_TRUE(alone.passed()) << alone.str();
  const GradientCheckReport inside = check_model_gradients(wrapped, loss, x, target);
  ASSERT_EQ(alone.entries.size(), inside.entries.size());
  ASSERT_EQ(alone.entries.size(), 7u);  // input, body's two weights and biases, the projection's weight and bias
  for (size_t i = 1; i < alone.entries.size(); ++i) {
    EXPECT_EQ("0." + alone.entries[i].name, inside.entries[i].name);
    EXPECT_EQ(alone.entries[i].checked, alone.entries[i].elements);
  }
}

TEST(GradientCheck, CatchesADropoutBackwardThatForgetsTheMask) {
  Rng rng(7);
  Sequential<double> model(Shape{12});
  model.add(make_layer<double>("linear:8", Shape{12}));
  model.add(std::make_unique<DropoutWithoutMaskInBackward>(0.5));
  model.add(make_layer<double>("linear:3", Shape{8}));
  model.initialize(Initializer::xavier_normal(), rng);
  const Tensor<double> x = random_tensor(Shape{2, 12}, rng);
  const Tensor<double> target(Shape{2}, std::vector<double>{0, 1});
  SoftmaxCrossEntropy<double> loss;
  const GradientCheckReport report = check_model_gradients(model, loss, x, target);
  EXPECT_EQ(report.frozen_dropout_layers, 1);
  EXPECT_FALSE(report.passed()) << report.str();
  EXPECT_GT(report.max_error(), 1e-3) << report.str();
}

TEST(GradientCheck, CnnWithBatchNormInTrainingMode) {
  Rng rng(8);
  Sequential<double> model = initialized_model(
      "conv:4x3x3:pad=1,batchnorm,relu,maxpool:2,res(conv:4x3x3:pad=1,batchnorm),gap,linear:3", Shape{2, 6, 6}, rng);
  const Tensor<double> x = random_tensor(Shape{2, 2, 6, 6}, rng);
  const Tensor<double> target(Shape{2}, std::vector<double>{0, 2});
  SoftmaxCrossEntropy<double> loss;
  GradientCheckOptions options;
  options.coordinates = 30;
  const GradientCheckReport report = check_model_gradients(model, loss, x, target, options);
  EXPECT_TRUE(model.training());
  EXPECT_TRUE(report.passed()) << report.str();
  EXPECT_EQ(report.entries.front().checked, 30);  // of 144 input coordinates
}

}  // namespace nnlab::test
