// Every optimizer against PyTorch 1.13's float64 trajectories in tests/data/optimizer_steps.json:
// 12 steps on f(p) = 0.5·Σ aᵢ·pᵢ², gradient a·p taken at the current p before each step.

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "nnlab/optim/adagrad.h"
#include "nnlab/optim/adam.h"
#include "nnlab/optim/adamw.h"
#include "nnlab/optim/factory.h"
#include "nnlab/optim/momentum.h"
#include "nnlab/optim/nesterov.h"
#include "nnlab/optim/rmsprop.h"
#include "nnlab/optim/sgd.h"
#include "test_util.h"

namespace nnlab::test {
namespace {

const nlohmann::json& reference() {
  static const nlohmann::json data = load_json("optimizer_steps.json");
  return data;
}

const nlohmann::json& reference_case(const std::string& name) {
  for (const auto& c : reference().at("cases")) {
    if (c.at("name") == name) return c;
  }
  throw std::runtime_error("no optimizer reference case " + name);
}

// The case's PyTorch settings in the factory's terms.
OptimizerOptions options_for(const nlohmann::json& c) {
  const nlohmann::json& h = c.at("hyperparameters");
  const std::string torch_name = c.at("optimizer");
  OptimizerOptions options;
  options.lr = h.at("lr");
  if (h.contains("weight_decay")) options.weight_decay = WeightDecay::l2(h.at("weight_decay"));
  if (h.contains("eps")) options.eps = h.at("eps");
  if (torch_name == "SGD") {
    const bool has_momentum = h.contains("momentum");
    options.name = h.value("nesterov", false) ? "nesterov" : has_momentum ? "momentum" : "sgd";
    if (has_momentum) options.momentum = h.at("momentum");
  } else if (torch_name == "Adagrad") {
    options.name = "adagrad";
  } else if (torch_name == "RMSprop") {
    options.name = "rmsprop";
    options.alpha = h.at("alpha");
  } else if (torch_name == "Adam" || torch_name == "AdamW") {
    options.name = torch_name == "Adam" ? "adam" : "adamw";
    options.beta1 = h.at("betas").at(0);
    options.beta2 = h.at("betas").at(1);
  } else {
    throw std::runtime_error("unknown PyTorch optimizer " + torch_name);
  }
  for (const auto& [key, value] : h.items()) {
    static const std::vector<std::string> known = {"lr",       "weight_decay", "eps",  "momentum",
                                                   "nesterov", "alpha",        "betas"};
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      throw std::runtime_error("reference case " + c.at("name").get<std::string>() + " uses unhandled " + key);
    }
  }
  return options;
}

// The same optimizer through its own constructor, defaults filled in by hand.
template <typename T>
std::unique_ptr<Optimizer<T>> construct(const OptimizerOptions& o, std::vector<Parameter<T>> parameters) {
  auto p = std::move(parameters);
  const auto& wd = o.weight_decay;
  if (o.name == "sgd") return std::make_unique<SGD<T>>(std::move(p), o.lr, wd);
  if (o.name == "momentum") return std::make_unique<Momentum<T>>(std::move(p), o.lr, o.momentum, wd);
  if (o.name == "nesterov") return std::make_unique<Nesterov<T>>(std::move(p), o.lr, o.momentum, wd);
  if (o.name == "adagrad") return std::make_unique<AdaGrad<T>>(std::move(p), o.lr, 0.0, o.eps, wd);
  if (o.name == "rmsprop") return std::make_unique<RMSProp<T>>(std::move(p), o.lr, o.alpha, o.eps, wd);
  if (o.name == "adam") return std::make_unique<Adam<T>>(std::move(p), o.lr, o.beta1, o.beta2, o.eps, wd);
  if (o.name == "adamw") return std::make_unique<AdamW<T>>(std::move(p), o.lr, o.beta1, o.beta2, o.eps, wd);
  throw std::runtime_error("no constructor for " + o.name);
}

enum class Build { kConstructor, kFactory };

// Runs the case and checks every coordinate of every step: |actual − expected| <= tolerance·|expected|
// (plus `floor` absolute, for float, where values near 0 carry the error of larger ones).
template <typename T>
void expect_trajectory(const std::string& name, Build build, double tolerance, double floor) {
  const nlohmann::json& c = reference_case(name);
  const auto a = reference().at("a").get<std::vector<double>>();
  const auto p0 = reference().at("p0").get<std::vector<double>>();
  const auto trajectory = c.at("trajectory").get<std::vector<std::vector<double>>>();
  const int steps = reference().at("steps");
  ASSERT_EQ(static_cast<int>(trajectory.size()), steps);

  const auto n = static_cast<int64_t>(p0.size());
  Tensor<T> value(Shape{n}), grad(Shape{n});
  for (int64_t i = 0; i < n; ++i) value[i] = static_cast<T>(p0[static_cast<size_t>(i)]);
  std::vector<Parameter<T>> parameters = {{"weight", &value, &grad, true}};
  const OptimizerOptions options = options_for(c);
  auto optimizer =
      build == Build::kFactory ? make_optimizer<T>(options, parameters) : construct<T>(options, parameters);

  for (int s = 0; s < steps; ++s) {
    for (int64_t i = 0; i < n; ++i) grad[i] = static_cast<T>(a[static_cast<size_t>(i)]) * value[i];
    optimizer->step();
    ASSERT_EQ(optimizer->steps(), s + 1);
    for (int64_t i = 0; i < n; ++i) {
      const double expected = trajectory[static_cast<size_t>(s)][static_cast<size_t>(i)];
      const double actual = static_cast<double>(value[i]);
      ASSERT_LE(std::abs(actual - expected), tolerance * std::abs(expected) + floor)
          << name << " step " << s + 1 << " coordinate " << i << ": " << actual << " != expected " << expected;
    }
  }
}

class OptimizerReference : public ::testing::TestWithParam<std::string> {};

TEST_P(OptimizerReference, ConstructorMatchesPyTorchInFloat64) {
  expect_trajectory<double>(GetParam(), Build::kConstructor, 1e-10, 0.0);
}

TEST_P(OptimizerReference, FactoryMatchesPyTorchInFloat64) {
  expect_trajectory<double>(GetParam(), Build::kFactory, 1e-10, 0.0);
}

TEST_P(OptimizerReference, FactoryMatchesPyTorchInFloat32) {
  expect_trajectory<float>(GetParam(), Build::kFactory, 1e-5, 1e-6);
}

const std::vector<std::string> kCases = {"sgd",  "sgd_weight_decay", "momentum", "nesterov", "adagrad", "rmsprop",
                                         "adam", "adam_l2",          "adamw"};

INSTANTIATE_TEST_SUITE_P(PyTorch, OptimizerReference, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return info.param; });

TEST(OptimizerReferenceData, EveryCaseIsTested) {
  for (const auto& c : reference().at("cases")) {
    EXPECT_NE(std::find(kCases.begin(), kCases.end(), c.at("name").get<std::string>()), kCases.end())
        << "reference case " << c.at("name") << " has no test";
  }
}

}  // namespace
}  // namespace nnlab::test
