// The recorders' numbers against values worked out by hand, the update ratio, dead units,
// and the health checks: vanishing gradients and exploding losses.

#include "nnlab/diagnostics/monitor.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include "nnlab/data/mnist.h"
#include "nnlab/diagnostics/activation_stats.h"
#include "nnlab/diagnostics/update_ratio.h"
#include "nnlab/layers/linear.h"
#include "nnlab/layers/relu.h"
#include "nnlab/losses/mean_squared_error.h"
#include "nnlab/losses/softmax_cross_entropy.h"
#include "nnlab/model/model_spec.h"
#include "nnlab/model/residual.h"
#include "nnlab/optim/sgd.h"
#include "nnlab/report/run_report.h"
#include "nnlab/train/trainer.h"

namespace nnlab::diagnostics {
namespace {

TEST(ActivationStats, MomentsAndBins) {
  const std::vector<float> v{1, 2, 3, 4};
  const Moments m = moments(v);
  EXPECT_DOUBLE_EQ(m.mean, 2.5);
  EXPECT_DOUBLE_EQ(m.std, std::sqrt(1.25));
  const BinnedValues b = bin_values(std::vector<float>{0.0f, 0.1f, 0.5f, 1.0f, 2.0f, NAN}, 0.0, 1.0, 2);
  EXPECT_EQ(b.counts, (std::vector<double>{2, 2}));  // 0.5 opens the second bin; 1.0 goes in the last
  EXPECT_EQ(b.outside, 2);
  EXPECT_THROW(bin_values(v, 1, 1, 3), std::invalid_argument);
}

TEST(ActivationStats, DeadUnitsAreZeroForEverySample) {
  // Unit 0 fires for one sample, unit 1 never, unit 2 always, unit 3 never.
  const Tensor<float> a(Shape{3, 4}, {0, 0, 1, 0, 2, 0, 1, 0, 0, 0, 5, 0});
  EXPECT_DOUBLE_EQ(dead_unit_fraction(a), 0.5);
  EXPECT_DOUBLE_EQ(sigmoid_saturated_fraction(std::vector<float>{0.01f, 0.5f, 0.99f, 0.9f}), 0.5);
  EXPECT_DOUBLE_EQ(tanh_saturated_fraction(std::vector<float>{-0.95f, 0.0f, 0.5f, 0.8f}), 0.25);
}

TEST(UpdateRatio, IsStepSizeOverWeightSize) {
  Tensor<float> w(Shape{2}, {3, 4});  // ‖w‖ = 5
  Tensor<float> g(Shape{2});
  UpdateRatio ratio;
  ratio.bind({Parameter<float>{"w", &w, &g}});
  ratio.snapshot();
  w[1] = 4.5f;  // ‖Δw‖ = 0.5
  ratio.measure();
  EXPECT_NEAR(ratio.ratios()[0], 0.1, 1e-7);
  EXPECT_NEAR(ratio.value_norms()[0], 5.0, 1e-7);
}

// linear 2→2 (W = [[1, 0], [0, -1]], b = 0), relu, linear 2→1 (W = [[1, 1]], b = 0); x = [[1, 2], [3, 4]].
TEST(Monitor, RecordsWhatWasComputedByHand) {
  Sequential<float> model(Shape{2});
  model.add(std::make_unique<Linear<float>>(2, 2)).add(std::make_unique<ReLU<float>>());
  model.add(std::make_unique<Linear<float>>(2, 1));
  auto params = model.parameters();
  *params[0].value = Tensor<float>(Shape{2, 2}, {1, 0, 0, -1});
  params[1].value->fill(0);
  *params[2].value = Tensor<float>(Shape{1, 2}, {1, 1});
  params[3].value->fill(0);

  Dataset data{Tensor<float>(Shape{2, 2}, {1, 2, 3, 4}), Tensor<float>(Shape{2, 1}, {0, 0}), 0};
  MeanSquaredError<float> loss;
  const double lr = 0.01;
  SGD<float> sgd(model.parameters(), lr);
  Trainer trainer(model, loss, sgd);
  auto monitor = std::make_shared<Monitor>(MonitorOptions{.every = 1, .warnings_to = nullptr});
  trainer.add_callback(monitor);
  Rng rng(1);
  trainer.fit(data, nullptr, {.iterations = 1, .batch_size = 2, .shuffle = false}, rng);

  ASSERT_EQ(monitor->layer_samples().size(), 3u);
  const LayerSample& linear = monitor->layer_samples()[0];  // outputs [[1, -2], [3, -4]]
  EXPECT_EQ(linear.step, 1);
  EXPECT_NEAR(linear.activation_mean, -0.5, 1e-6);
  EXPECT_NEAR(linear.activation_std, std::sqrt(7.25), 1e-6);
  EXPECT_TRUE(std::isnan(linear.input_grad_norm));        // the first layer does not compute it
  const LayerSample& relu = monitor->layer_samples()[1];  // [[1, 0], [3, 0]]: unit 1 dead
  EXPECT_NEAR(relu.activation_mean, 1.0, 1e-6);
  EXPECT_NEAR(relu.activation_std, std::sqrt(1.5), 1e-6);
  EXPECT_DOUBLE_EQ(relu.dead_fraction, 0.5);

  // Output [[1], [3]] against 0: the loss's own gradient, then dW2 = dyᵀ h by hand.
  MeanSquaredError<float> check;
  check.forward(Tensor<float>(Shape{2, 1}, {1, 3}), data.y);
  const Tensor<float> dy = check.backward();
  EXPECT_NEAR(monitor->layer_samples()[2].output_grad_norm, std::hypot(dy[0], dy[1]), 1e-6);
  const double dw0 = dy[0] * 1 + dy[1] * 3, dw1 = 0;
  const ParameterSample& w2 = monitor->parameter_samples()[2];
  EXPECT_EQ(monitor->parameters()[w2.parameter].name, "2.weight");
  EXPECT_NEAR(w2.grad_norm, std::hypot(dw0, dw1), 1e-5);
  EXPECT_NEAR(w2.value_norm, std::sqrt(2.0), 1e-6);
  // SGD: Δw = lr·g, so the ratio is lr‖g‖/‖w‖.
  EXPECT_NEAR(w2.update_ratio, lr * w2.grad_norm / std::sqrt(2.0), 1e-6);
  EXPECT_EQ(model.hook_count(), 0u);  // removed at the end of training
  // Histograms at the single sampled step, each counting the whole batch.
  ASSERT_EQ(monitor->histograms().size(), 3u);
  double total = 0;
  for (double c : monitor->histograms()[0].bins.counts) total += c;
  EXPECT_EQ(total, 4);
}

TEST(Monitor, WatchesTheLayersInsideResidualBlocksByTheirPaths) {
  // linear 3→4, then a block whose body widens to 6 (so the shortcut is a Linear projection).
  Sequential<float> model = build_model<float>("linear:4,res(linear:6,relu,linear:6),relu,linear:2", Shape{3});
  Rng rng(2);
  model.initialize(Initializer::he_normal(), rng);
  Dataset data{Tensor<float>(Shape{4, 3}, {1, 2, 3, -1, 0, 2, 3, -2, 1, 0, 0, 1}),
               Tensor<float>(Shape{4, 2}, {0, 1, 1, 0, 0, 0, 1, 1}), 0};
  MeanSquaredError<float> loss;
  SGD<float> sgd(model.parameters(), 0.01);
  Trainer trainer(model, loss, sgd);
  auto monitor = std::make_shared<Monitor>(MonitorOptions{.every = 1, .warnings_to = nullptr});
  trainer.add_callback(monitor);
  trainer.fit(data, nullptr, {.iterations = 2, .batch_size = 4, .shuffle = false}, rng);

  std::vector<std::string> names, types;
  for (const LayerInfo& layer : monitor->layers()) {
    names.push_back(layer.name);
    types.push_back(layer.type);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"0", "1.body.0", "1.body.1", "1.body.2", "1.shortcut", "2", "3"}));
  EXPECT_EQ(types, (std::vector<std::string>{"Linear", "Linear", "ReLU", "Linear", "Linear", "ReLU", "Linear"}));
  EXPECT_FALSE(monitor->layers()[4].observed);  // the projection is not run by a Sequential
  EXPECT_TRUE(monitor->layers()[2].observed);

  // Two sampled steps, each with one sample per observed layer (six of seven).
  ASSERT_EQ(monitor->layer_samples().size(), 12u);
  for (const LayerSample& s : monitor->layer_samples()) EXPECT_NE(s.layer, 4u);
  // The ReLU inside the block saw the body's first Linear's output: its mean is that of relu(h).
  const LayerSample& inner_relu = monitor->layer_samples()[2];
  EXPECT_EQ(inner_relu.layer, 2u);
  EXPECT_GE(inner_relu.activation_mean, 0.0);
  EXPECT_FALSE(std::isnan(inner_relu.dead_fraction));
  EXPECT_GT(inner_relu.output_grad_norm, 0.0);

  // Each parameter belongs to the layer whose path starts its name.
  for (const ParameterInfo& p : monitor->parameters()) {
    EXPECT_TRUE(p.name.starts_with(monitor->layers()[p.layer].name + ".")) << p.name;
  }
  EXPECT_EQ(monitor->parameters().size(), 10u);
  EXPECT_EQ(monitor->parameters()[6].name, "1.shortcut.weight");
  EXPECT_EQ(monitor->parameters()[6].layer, 4u);
  EXPECT_EQ(model.hook_count(), 0u);
  EXPECT_EQ(dynamic_cast<Residual<float>&>(model[1]).body().hook_count(), 0u);
}

TEST(Monitor, WatchesAModuleThatIsNotASequential) {
  // A lone residual block trains as the model: its body's layers are watched.
  Sequential<float> holder = build_model<float>("res(linear:3,tanh,linear:3)", Shape{3});
  Module<float>& block = holder[0];
  Rng rng(4);
  block.initialize(Initializer::xavier_normal(), rng);
  Dataset data{Tensor<float>(Shape{2, 3}, {1, 2, 3, -1, 0, 2}), Tensor<float>(Shape{2, 3}, {0, 1, 1, 0, 0, 0}), 0};
  MeanSquaredError<float> loss;
  SGD<float> sgd(block.parameters(), 0.01);
  Trainer trainer(block, loss, sgd);
  auto monitor = std::make_shared<Monitor>(MonitorOptions{.every = 1, .warnings_to = nullptr});
  trainer.add_callback(monitor);
  trainer.fit(data, nullptr, {.iterations = 1, .batch_size = 2, .shuffle = false}, rng);
  ASSERT_EQ(monitor->layers().size(), 3u);
  EXPECT_EQ(monitor->layers()[1].name, "body.1");
  EXPECT_EQ(monitor->layer_samples().size(), 3u);
  EXPECT_EQ(monitor->parameters()[0].name, "body.0.weight");
  EXPECT_GT(monitor->layer_samples()[1].activation_std, 0.0);
  EXPECT_LE(std::abs(monitor->layer_samples()[1].activation_mean), 1.0);  // tanh's outputs
}

struct DeepRun {
  std::vector<HealthWarning> warnings;
  std::vector<ParameterSample> first_step;
  std::shared_ptr<Monitor> monitor;
};

DeepRun deep_run(const std::string& activation, const Initializer& init) {
  const TrainTest data = load_mnist(NNLAB_SOURCE_DIR "/data/mnist");
  auto model = build_model<float>(mlp_spec({100, 100, 100, 100, 100, 100, 100, 100, 100}, activation, 10),
                                  data.train.sample_shape());
  Rng rng(3);
  model.initialize(init, rng);
  SoftmaxCrossEntropy<float> loss;
  SGD<float> sgd(model.parameters(), 0.1);
  Trainer trainer(model, loss, sgd);
  auto monitor = std::make_shared<Monitor>(MonitorOptions{.every = 5, .warnings_to = nullptr});
  trainer.add_callback(monitor);
  trainer.fit(data.train, nullptr, {.iterations = 40, .batch_size = 64}, rng);
  DeepRun run{monitor->warnings(), {}, monitor};
  for (const auto& s : monitor->parameter_samples()) {
    if (s.step == 1 && monitor->parameters()[s.parameter].name.ends_with("weight")) run.first_step.push_back(s);
  }
  return run;
}

TEST(TrainingHealth, VanishingGradientsInDeepSigmoidWithStdOne) {
  const DeepRun run = deep_run("sigmoid", Initializer::normal(1.0));
  ASSERT_EQ(run.warnings.size(), 1u);
  EXPECT_EQ(run.warnings[0].kind, "vanishing_gradients");
  EXPECT_NE(run.warnings[0].message.find("saturated"), std::string::npos) << run.warnings[0].message;
  // The gradient shrinks toward the input: the first weights get less than the last.
  ASSERT_EQ(run.first_step.size(), 10u);
  EXPECT_LT(run.first_step.front().grad_norm, 0.5 * run.first_step.back().grad_norm);
}

// The charts of that run name the layers as the model file does, with what they map, and the
// by-layer chart shows the shrinking toward the input that the warning states.
TEST(TrainingHealth, TheGradientChartsShowTheShrinkTowardTheInput) {
  const DeepRun run = deep_run("sigmoid", Initializer::normal(1.0));
  const report::LineChart over_time = report::gradient_norm_chart(*run.monitor);
  ASSERT_EQ(over_time.series.size(), 10u);
  EXPECT_EQ(over_time.series.front().name, "0 Linear 784→100");
  EXPECT_EQ(over_time.series.back().name, "18 Linear 100→10");
  const report::LineChart by_layer = report::gradient_norm_by_layer_chart(*run.monitor);
  // Sampled at steps 1, 6, …, 36: the first, a third, two thirds and the last.
  ASSERT_EQ(by_layer.series.size(), 4u);
  EXPECT_EQ(by_layer.series.front().name, "step 1");
  EXPECT_EQ(by_layer.series.back().name, "step 36");
  for (const report::Series& series : by_layer.series) {
    ASSERT_EQ(series.xs.size(), 10u) << series.name;
    EXPECT_EQ(series.xs.front(), 1.0);
    EXPECT_EQ(series.xs.back(), 10.0);
  }
  const report::Series& first = by_layer.series.front();
  EXPECT_DOUBLE_EQ(first.ys.front(), run.first_step.front().grad_norm);
  EXPECT_LT(first.ys.front(), 0.5 * first.ys.back());
  EXPECT_TRUE(by_layer.log_y);
}

TEST(TrainingHealth, NoWarningForReluWithHeInitialisation) {
  const DeepRun run = deep_run("relu", Initializer::he_normal());
  for (const auto& w : run.warnings) ADD_FAILURE() << w.message;
}

TEST(TrainingHealth, DeadReluWarningFiresOnce) {
  HealthChecks checks({.dead_samples = 3});
  EXPECT_FALSE(checks.observe_dead_units(1, 1, 0.9));
  EXPECT_FALSE(checks.observe_dead_units(2, 1, 0.9));
  const auto warning = checks.observe_dead_units(3, 1, 0.9);
  ASSERT_TRUE(warning);
  EXPECT_EQ(warning->kind, "dead_relu");
  EXPECT_FALSE(checks.observe_dead_units(4, 1, 0.9));
  EXPECT_FALSE(checks.observe_dead_units(1, 3, 0.2));
}

// w·1 against the target 2 with lr 3: the error is multiplied by about -5 each step, the
// loss by about 25, and stays finite long enough for the explosion rule to see it.
TEST(TrainingHealth, ExplodingLossStopsTraining) {
  Sequential<float> model(Shape{1});
  model.add(std::make_unique<Linear<float>>(1, 1, /*bias=*/false));
  model.parameters()[0].value->fill(0);
  Dataset data{Tensor<float>(Shape{4, 1}, 1.0f), Tensor<float>(Shape{4, 1}, 2.0f), 0};
  MeanSquaredError<float> loss;
  SGD<float> sgd(model.parameters(), 3.0);
  Trainer trainer(model, loss, sgd);
  Rng rng(1);
  FitOptions options{.iterations = 100, .batch_size = 4};
  options.explosion = {.factor = 1000, .warmup = 2, .patience = 3};
  try {
    trainer.fit(data, nullptr, options, rng);
    FAIL() << "training went on";
  } catch (const TrainingDiverged& e) {
    EXPECT_LT(e.step(), 12);
    EXPECT_NE(std::string(e.what()).find("has stayed above 1e+03× its starting value"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("try 0.3"), std::string::npos) << e.what();
  }
}

// A spike shorter than the patience is no divergence.
TEST(TrainingHealth, ExplosionCheckOffOrPatientKeepsTraining) {
  Sequential<float> model(Shape{1});
  model.add(std::make_unique<Linear<float>>(1, 1, false));
  model.parameters()[0].value->fill(0);
  Dataset data{Tensor<float>(Shape{4, 1}, 1.0f), Tensor<float>(Shape{4, 1}, 2.0f), 0};
  MeanSquaredError<float> loss;
  SGD<float> sgd(model.parameters(), 0.1);  // converges
  Trainer trainer(model, loss, sgd);
  Rng rng(1);
  EXPECT_NO_THROW(trainer.fit(data, nullptr, {.iterations = 50, .batch_size = 4}, rng));
}

}  // namespace
}  // namespace nnlab::diagnostics
