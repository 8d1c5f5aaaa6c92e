// Behaviour every optimizer shares: state per parameter index, L1 and L2 decay,
// decoupled decay for AdamW, the factory and its options.

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "nnlab/optim/adam.h"
#include "nnlab/optim/adamw.h"
#include "nnlab/optim/factory.h"
#include "nnlab/optim/momentum.h"
#include "nnlab/optim/nesterov.h"
#include "nnlab/optim/rmsprop.h"
#include "nnlab/optim/sgd.h"
#include "optim/optimizer_options.h"

namespace nnlab::test {
namespace {

// A parameter with its own storage, so tests can build several.
template <typename T>
struct OwnedParameter {
  Tensor<T> value;
  Tensor<T> grad;
  OwnedParameter(const Shape& shape, const std::vector<T>& values) : value(shape, values), grad(shape) {}
  Parameter<T> parameter(bool decay = true) { return {"weight", &value, &grad, decay}; }
};

// The gradient of f(w) = 0.5·Σ aᵢ·wᵢ² with aᵢ = 1 + i/4, so every coordinate moves differently.
template <typename T>
void set_quadratic_grad(OwnedParameter<T>& p) {
  for (int64_t i = 0; i < p.value.size(); ++i) p.grad[i] = (T(1) + T(i) / T(4)) * p.value[i];
}

class EveryOptimizer : public ::testing::TestWithParam<std::string> {};

// Two parameters of different sizes stepped by one optimizer move exactly as each does alone:
// the state (velocity, moments) belongs to the parameter's index.
TEST_P(EveryOptimizer, KeepsStatePerParameterIndex) {
  const std::vector<double> a0 = {0.5, -1.0, 2.0}, b0 = {-0.3, 0.7, 1.5, -2.0, 0.1, 0.9, -1.1};
  OwnedParameter<double> a(Shape{3}, a0), b(Shape{7}, b0), a_alone(Shape{3}, a0), b_alone(Shape{7}, b0);
  const auto decay = WeightDecay::l2(0.01);
  auto both = make_optimizer<double>(options(GetParam(), decay), {a.parameter(), b.parameter()});
  auto only_a = make_optimizer<double>(options(GetParam(), decay), {a_alone.parameter()});
  auto only_b = make_optimizer<double>(options(GetParam(), decay), {b_alone.parameter()});
  for (int step = 0; step < 6; ++step) {
    for (auto* p : {&a, &b, &a_alone, &b_alone}) set_quadratic_grad(*p);
    both->step();
    only_a->step();
    only_b->step();
  }
  EXPECT_EQ(both->steps(), 6);
  for (int64_t i = 0; i < 3; ++i) EXPECT_EQ(a.value[i], a_alone.value[i]) << i;
  for (int64_t i = 0; i < 7; ++i) EXPECT_EQ(b.value[i], b_alone.value[i]) << i;
  EXPECT_NE(a.value[0], a0[0]);
}

// L1 decay adds λ·sign(w) to the gradient (0 at w = 0), only for parameters marked for decay.
TEST_P(EveryOptimizer, L1DecayAddsLambdaTimesSignOfWeight) {
  if (GetParam() == "adamw") GTEST_SKIP() << "AdamW decouples its decay; see AdamW.DecoupledL1";
  const double lambda = 0.3;
  const std::vector<double> w0 = {1.5, -0.5, 0.0, 2.0};
  OwnedParameter<double> decayed(Shape{4}, w0), bias(Shape{4}, w0), by_hand(Shape{4}, w0), bias_by_hand(Shape{4}, w0);
  auto with_l1 = make_optimizer<double>(options(GetParam(), WeightDecay::l1(lambda)),
                                        {decayed.parameter(), bias.parameter(false)});
  auto plain = make_optimizer<double>(options(GetParam()), {by_hand.parameter(), bias_by_hand.parameter(false)});
  for (int step = 0; step < 4; ++step) {
    for (auto* p : {&decayed, &bias, &by_hand, &bias_by_hand}) set_quadratic_grad(*p);
    for (int64_t i = 0; i < 4; ++i) {
      const double w = by_hand.value[i];
      by_hand.grad[i] += lambda * static_cast<double>((w > 0) - (w < 0));
    }
    with_l1->step();
    plain->step();
  }
  for (int64_t i = 0; i < 4; ++i) {
    EXPECT_EQ(decayed.value[i], by_hand.value[i]) << i;
    EXPECT_EQ(bias.value[i], bias_by_hand.value[i]) << i;
  }
  EXPECT_NEAR(with_l1->penalty(),
              lambda * (std::abs(decayed.value[0]) + std::abs(decayed.value[1]) + std::abs(decayed.value[2]) +
                        std::abs(decayed.value[3])),
              1e-15);
}

// The float build runs and stays close to the double one.
TEST_P(EveryOptimizer, FloatFollowsDouble) {
  const std::vector<double> w0 = {0.5, -1.0, 2.0, -0.25};
  OwnedParameter<double> d(Shape{2, 2}, w0);
  OwnedParameter<float> f(Shape{2, 2}, {0.5f, -1.0f, 2.0f, -0.25f});
  auto in_double = make_optimizer<double>(options(GetParam(), WeightDecay::l2(0.01)), {d.parameter()});
  auto in_float = make_optimizer<float>(options(GetParam(), WeightDecay::l2(0.01)), {f.parameter()});
  EXPECT_EQ(in_double->name(), in_float->name());
  for (int step = 0; step < 20; ++step) {
    set_quadratic_grad(d);
    set_quadratic_grad(f);
    in_double->step();
    in_float->step();
  }
  for (int64_t i = 0; i < 4; ++i) {
    EXPECT_NEAR(f.value[i], d.value[i], 1e-5) << i;
    EXPECT_NE(d.value[i], w0[static_cast<size_t>(i)]) << i;
  }
}

INSTANTIATE_TEST_SUITE_P(Optim, EveryOptimizer, ::testing::ValuesIn(optimizer_names()),
                         [](const auto& info) { return info.param; });

TEST(SGDOptim, L1DecayByHand) {
  // w ← w − lr·(g + λ·sign(w)), lr 0.1, λ 0.2, g 0.5
  OwnedParameter<double> p(Shape{3}, {2.0, -1.0, 0.0});
  p.grad.fill(0.5);
  SGD<double> sgd({p.parameter()}, 0.1, WeightDecay::l1(0.2));
  sgd.step();
  EXPECT_DOUBLE_EQ(p.value[0], 2.0 - 0.1 * 0.7);
  EXPECT_DOUBLE_EQ(p.value[1], -1.0 - 0.1 * 0.3);
  EXPECT_DOUBLE_EQ(p.value[2], -0.05);
}

TEST(MomentumOptim, FirstVelocityIsTheGradientAndLrChangesActAtOnce) {
  OwnedParameter<double> p(Shape{1}, {1.0});
  Momentum<double> momentum({p.parameter()}, 0.1, 0.5);
  p.grad[0] = 2.0;
  momentum.step();  // v = 2, w = 1 − 0.2
  EXPECT_DOUBLE_EQ(p.value[0], 0.8);
  momentum.set_lr(0.01);
  momentum.step();  // v = 0.5·2 + 2 = 3, w = 0.8 − 0.03
  EXPECT_DOUBLE_EQ(p.value[0], 0.77);
}

TEST(NesterovOptim, IsMomentumWithTheNesterovFlag) {
  OwnedParameter<double> a(Shape{1}, {1.0});
  OwnedParameter<double> b(Shape{1}, {1.0});
  Nesterov<double> nesterov({a.parameter()}, 0.1, 0.5);
  Momentum<double> flagged({b.parameter()}, 0.1, 0.5, WeightDecay::none(), /*nesterov=*/true);
  EXPECT_TRUE(nesterov.nesterov());
  EXPECT_EQ(nesterov.name(), "Nesterov");
  EXPECT_EQ(flagged.name(), "Nesterov");
  for (int step = 0; step < 2; ++step) {
    a.grad[0] = b.grad[0] = 2.0;
    nesterov.step();
    flagged.step();
  }
  // v = 2, w = 1 − 0.1·(2 + 1); then v = 3, w = 0.7 − 0.1·(2 + 1.5)
  EXPECT_DOUBLE_EQ(a.value[0], 0.35);
  EXPECT_EQ(a.value[0], b.value[0]);
}

TEST(AdamOptim, FirstStepIsLrTimesSignOfGradient) {
  // m̂ = g, √v̂ = |g| on step 1, so the step is lr·g/(|g| + eps).
  OwnedParameter<double> p(Shape{3}, {1.0, 1.0, 1.0});
  p.grad[0] = 4.0;
  p.grad[1] = -0.001;
  p.grad[2] = 0.0;
  Adam<double> adam({p.parameter()}, 0.1);
  adam.step();
  EXPECT_NEAR(p.value[0], 1.0 - 0.1 * 4.0 / (4.0 + 1e-8), 1e-15);
  EXPECT_NEAR(p.value[1], 1.0 + 0.1 * 0.001 / (0.001 + 1e-8), 1e-15);
  EXPECT_EQ(p.value[2], 1.0);
}

TEST(AdamWOptim, DecoupledL2ShrinksWeightsBeforeTheAdamUpdate) {
  // With zero gradient Adam's update is 0, so only the decay moves the weights: w·(1 − lr·λ) per step.
  OwnedParameter<double> weight(Shape{2}, {2.0, -4.0}), bias(Shape{2}, {2.0, -4.0});
  AdamW<double> adamw({weight.parameter(), bias.parameter(false)}, 0.1, 0.9, 0.999, 1e-8, WeightDecay::l2(0.5));
  adamw.step();
  adamw.step();
  EXPECT_DOUBLE_EQ(weight.value[0], 2.0 * 0.95 * 0.95);
  EXPECT_DOUBLE_EQ(weight.value[1], -4.0 * 0.95 * 0.95);
  EXPECT_EQ(bias.value[0], 2.0);   // not marked for decay
  EXPECT_EQ(weight.grad[0], 0.0);  // the gradient is left alone
}

TEST(AdamWOptim, DecoupledL1) {
  OwnedParameter<double> p(Shape{3}, {2.0, -4.0, 0.0});
  AdamW<double> adamw({p.parameter()}, 0.1, 0.9, 0.999, 1e-8, WeightDecay::l1(0.5));
  adamw.step();  // w − lr·λ·sign(w)
  EXPECT_DOUBLE_EQ(p.value[0], 1.95);
  EXPECT_DOUBLE_EQ(p.value[1], -3.95);
  EXPECT_EQ(p.value[2], 0.0);
}

TEST(AdamWOptim, WithoutDecayEqualsAdam) {
  OwnedParameter<double> a(Shape{3}, {0.5, -1.0, 2.0}), b(Shape{3}, {0.5, -1.0, 2.0});
  AdamW<double> adamw({a.parameter()}, 0.05, 0.9, 0.999, 1e-8, WeightDecay::none());
  Adam<double> adam({b.parameter()}, 0.05);
  for (int step = 0; step < 5; ++step) {
    set_quadratic_grad(a);
    set_quadratic_grad(b);
    adamw.step();
    adam.step();
  }
  for (int64_t i = 0; i < 3; ++i) EXPECT_EQ(a.value[i], b.value[i]);
}

TEST(OptimizerFactory, MakesEachNamedOptimizer) {
  OwnedParameter<float> p(Shape{2}, {1.0f, 2.0f});
  const std::vector<std::string> classes = {"SGD", "Momentum", "Nesterov", "AdaGrad", "RMSProp", "Adam", "AdamW"};
  ASSERT_EQ(optimizer_names().size(), classes.size());
  for (size_t i = 0; i < classes.size(); ++i) {
    EXPECT_EQ(make_optimizer<float>(options(optimizer_names()[i]), {p.parameter()})->name(), classes[i]);
  }
}

TEST(OptimizerFactory, UnknownNameListsTheKnownOnes) {
  OwnedParameter<double> p(Shape{1}, {1.0});
  try {
    make_optimizer<double>(options("adamax"), {p.parameter()});
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("'adamax'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("rmsprop"), std::string::npos) << e.what();
  }
  EXPECT_THROW(describe(options("adamax")), std::invalid_argument);
}

TEST(OptimizerFactory, PassesTheOptions) {
  OwnedParameter<double> p(Shape{1}, {1.0});
  OptimizerOptions o = options("rmsprop");
  o.alpha = 0.5;
  o.eps = 1e-3;
  auto made = make_optimizer<double>(o, {p.parameter()});
  const auto& rmsprop = dynamic_cast<const RMSProp<double>&>(*made);
  EXPECT_EQ(rmsprop.alpha(), 0.5);
  EXPECT_EQ(rmsprop.eps(), 1e-3);
  EXPECT_EQ(rmsprop.lr(), 0.05);

  o = options("adam");
  o.beta1 = 0.8;
  o.beta2 = 0.99;
  made = make_optimizer<double>(o, {p.parameter()});
  const auto& adam = dynamic_cast<const Adam<double>&>(*made);
  EXPECT_EQ(adam.beta1(), 0.8);
  EXPECT_EQ(adam.beta2(), 0.99);
  EXPECT_EQ(adam.eps(), 1e-8);  // eps <= 0: Adam's default
}

TEST(OptimizerFactory, AdamWDefaultsToDecoupledDecayOfOneHundredth) {
  OwnedParameter<double> p(Shape{1}, {1.0});
  EXPECT_EQ(make_optimizer<double>(options("adamw"), {p.parameter()})->weight_decay().lambda, 0.01);
  EXPECT_EQ(make_optimizer<double>(options("adamw", WeightDecay::l2(0.2)), {p.parameter()})->weight_decay().lambda,
            0.2);
  EXPECT_FALSE(make_optimizer<double>(options("adamw", WeightDecay::l2(0)), {p.parameter()})->weight_decay().active());
  EXPECT_FALSE(make_optimizer<double>(options("adam"), {p.parameter()})->weight_decay().active());
}

TEST(OptimizerFactory, RejectsHyperparametersOutOfRangeByName) {
  OwnedParameter<double> p(Shape{1}, {1.0});
  auto expect_message = [&](OptimizerOptions o, const std::string& part) {
    try {
      make_optimizer<double>(o, {p.parameter()});
      ADD_FAILURE() << "no exception for " << part;
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
    }
  };
  OptimizerOptions o = options("momentum");
  o.momentum = 1.0;
  expect_message(o, "momentum");
  o = options("adam");
  o.beta2 = 1.0;
  expect_message(o, "beta2");
  o = options("rmsprop");
  o.alpha = -0.1;
  expect_message(o, "alpha");
  EXPECT_THROW(Adam<double>({p.parameter()}, 0.1, 0.9, 0.999, 0.0), std::invalid_argument);
  EXPECT_THROW(SGD<double>({p.parameter()}, -1.0), std::invalid_argument);
}

TEST(OptimizerFactory, DescribesResolvedDefaults) {
  EXPECT_EQ(describe(options("sgd")), "sgd(lr=0.05, weight_decay=none)");
  EXPECT_EQ(describe(options("nesterov", WeightDecay::l2(1e-4))),
            "nesterov(lr=0.05, momentum=0.9, weight_decay=l2:0.0001)");
  EXPECT_EQ(describe(options("adagrad", WeightDecay::l1(0.5))), "adagrad(lr=0.05, eps=1e-10, weight_decay=l1:0.5)");
  EXPECT_EQ(describe(options("rmsprop")), "rmsprop(lr=0.05, alpha=0.99, eps=1e-08, weight_decay=none)");
  EXPECT_EQ(describe(options("adam")), "adam(lr=0.05, beta1=0.9, beta2=0.999, eps=1e-08, weight_decay=none)");
  EXPECT_EQ(describe(options("adamw")),
            "adamw(lr=0.05, beta1=0.9, beta2=0.999, eps=1e-08, decoupled_weight_decay=l2:0.01)");
}

}  // namespace
}  // namespace nnlab::test
