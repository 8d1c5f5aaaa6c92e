#include "nnlab/layers/batchnorm.h"

#include <cmath>

#include "layers/layer_checks.h"
#include "nnlab/losses/softmax_cross_entropy.h"
#include "nnlab/model/model_spec.h"

namespace nnlab::test {

namespace {

Tensor<double> random_tensor(const Shape& shape, Rng& rng, double mean = 0, double std = 1) {
  Tensor<double> x(shape);
  for (double& v : x) v = mean + std * rng.normal();
  return x;
}

// The M values of channel c, collected by the definition: all of x[n, c, ...] over n and the spatial positions.
std::vector<double> channel_values(const Tensor<double>& x, int64_t c) {
  const int64_t channels = x.dim(1);
  const int64_t spatial = x.row_size() / channels;
  std::vector<double> values;
  for (int64_t n = 0; n < x.rows(); ++n) {
    for (int64_t s = 0; s < spatial; ++s) values.push_back(x[(n * channels + c) * spatial + s]);
  }
  return values;
}

double mean_of(const std::vector<double>& v) {
  double sum = 0;
  for (double e : v) sum += e;
  return sum / static_cast<double>(v.size());
}

// Σ(v − mean)² / (M − ddof): ddof 0 is the biased variance, 1 the unbiased one.
double variance_of(const std::vector<double>& v, int ddof) {
  const double mean = mean_of(v);
  double sum = 0;
  for (double e : v) sum += (e - mean) * (e - mean);
  return sum / static_cast<double>(static_cast<int64_t>(v.size()) - ddof);
}

}  // namespace

TEST(BatchNorm, Dense_MatchesPyTorchInFloat64) {
  BatchNorm<double> layer(6);
  expect_matches_reference(layer, layer_case("batchnorm1d_train"), 1e-10);
}

TEST(BatchNorm, Dense_MatchesPyTorchInFloat32) {
  BatchNorm<float> layer(6);
  expect_matches_reference(layer, layer_case("batchnorm1d_train"), 1e-4);
}

TEST(BatchNorm, Image_MatchesPyTorchPerChannelInFloat64) {
  BatchNorm<double> layer(2);
  expect_matches_reference(layer, layer_case("batchnorm2d_train"), 1e-10);
}

TEST(BatchNorm, Image_MatchesPyTorchPerChannelInFloat32) {
  BatchNorm<float> layer(2);
  expect_matches_reference(layer, layer_case("batchnorm2d_train"), 1e-4);
}

TEST(BatchNorm, GradientCheckDense) {
  BatchNorm<double> layer(5);
  expect_gradients_check(layer, Shape{4, 5});
}

TEST(BatchNorm, GradientCheckDenseBatchOfTwo) {
  BatchNorm<double> layer(3);
  expect_gradients_check(layer, Shape{2, 3}, /*seed=*/4);
}

TEST(BatchNorm, GradientCheckImage) {
  BatchNorm<double> layer(3);
  expect_gradients_check(layer, Shape{2, 3, 4, 5});
}

TEST(BatchNorm, GradientCheckInEvalMode) {
  BatchNorm<double> layer(3);
  Rng rng(2);
  for (int64_t c = 0; c < 3; ++c) {
    layer.gamma()[c] = rng.normal();
    layer.beta()[c] = rng.normal();
    layer.running_mean()[c] = rng.normal();
    layer.running_var()[c] = 0.5 + rng.uniform();
  }
  layer.set_training(false);
  const GradientCheckReport report = check_layer_gradients(layer, random_tensor(Shape{2, 3, 2, 2}, rng), rng);
  EXPECT_TRUE(report.passed()) << report.str();
}

TEST(BatchNorm, GradientCheckInsideAModel) {
  Rng rng(3);
  Sequential<double> model = build_model<double>("linear:6,batchnorm,relu,linear:4", Shape{5});
  model.initialize(Initializer::he_normal(), rng);
  for (auto& p : model.parameters()) {
    if (p.name == "1.weight" || p.name == "1.bias") {
      for (double& v : *p.value) v = rng.normal();
    }
  }
  const Tensor<double> x = random_tensor(Shape{6, 5}, rng);
  const Tensor<double> target(Shape{6}, std::vector<double>{0, 1, 2, 3, 1, 0});
  SoftmaxCrossEntropy<double> loss;
  const auto report = check_model_gradients(model, loss, x, target);
  EXPECT_TRUE(report.passed()) << report.str();
}

TEST(BatchNorm, NormalisesEachFeatureToZeroMeanUnitVariance) {
  BatchNorm<double> layer(4);
  Rng rng(5);
  const Tensor<double> x = random_tensor(Shape{50, 4}, rng, 3.0, 2.0);
  const Tensor<double>& y = layer.forward(x);
  for (int64_t c = 0; c < 4; ++c) {
    const auto values = channel_values(y, c);
    EXPECT_NEAR(mean_of(values), 0.0, 1e-12);
    const double var = variance_of(channel_values(x, c), 0);
    EXPECT_NEAR(variance_of(values, 0), var / (var + 1e-5), 1e-12);  // biased variance, eps inside the root
  }
}

TEST(BatchNorm, Float32StatisticsSurviveALargeMean) {
  // A mean far from zero must not swamp a variance of 1 (as Σx²/M − μ² in float would).
  BatchNorm<float> layer(1);
  Tensor<float> x(Shape{64, 1});
  for (int64_t i = 0; i < 64; ++i) x[i] = 10000.0f + static_cast<float>(i % 2 == 0 ? 1 : -1);
  const Tensor<float>& y = layer.forward(x);
  EXPECT_NEAR(y[0], 1.0f / std::sqrt(1.0f + 1e-5f), 1e-4f);
  EXPECT_NEAR(y[1], -1.0f / std::sqrt(1.0f + 1e-5f), 1e-4f);
}

TEST(BatchNorm, Float32ImageStatisticsSurviveALargeMeanAndAnOutlyingFirstSample) {
  // The one-pass sums go about the first sample's channel means: far off here (4 standard deviations
  // above the rest), the variance must still come out as the two-pass one in double.
  BatchNorm<float> layer(2);
  Rng rng(12);
  Tensor<float> x(Shape{16, 2, 5, 5});
  for (int64_t i = 0; i < x.size(); ++i) {
    x[i] = static_cast<float>(10000.0 + rng.normal() + (i < 50 ? 4.0 : 0.0));
  }
  const Tensor<float>& y = layer.forward(x);
  const Tensor<double> x64 = x.cast<double>();
  for (int64_t c = 0; c < 2; ++c) {
    const auto values = channel_values(x64, c);
    const double mean = mean_of(values), var = variance_of(values, 0);
    const auto out = channel_values(y.cast<double>(), c);
    for (size_t i = 0; i < values.size(); ++i) {
      ASSERT_NEAR(out[i], (values[i] - mean) / std::sqrt(var + 1e-5), 2e-3) << "channel " << c << ", value " << i;
    }
    EXPECT_NEAR(layer.running_mean()[c], 0.1 * mean, 1e-3);
    EXPECT_NEAR(layer.running_var()[c], 0.9 + 0.1 * variance_of(values, 1), 1e-4);
  }
}

TEST(BatchNorm, RunningStatisticsFollowPyTorchsMomentumWithUnbiasedVariance) {
  for (const Shape& shape : {Shape{5, 3}, Shape{3, 3, 2, 4}}) {
    const double momentum = 0.25;
    BatchNorm<double> layer(3, 1e-5, momentum);
    Rng rng(6);
    std::vector<double> expected_mean(3, 0.0), expected_var(3, 1.0);
    for (int step = 0; step < 4; ++step) {
      const Tensor<double> x = random_tensor(shape, rng, step, 1.0 + step);
      layer.forward(x);
      for (int64_t c = 0; c < 3; ++c) {
        const auto values = channel_values(x, c);
        expected_mean[c] = (1 - momentum) * expected_mean[c] + momentum * mean_of(values);
        expected_var[c] = (1 - momentum) * expected_var[c] + momentum * variance_of(values, 1);
      }
    }
    for (int64_t c = 0; c < 3; ++c) {
      EXPECT_NEAR(layer.running_mean()[c], expected_mean[c], 1e-12) << shape.str();
      EXPECT_NEAR(layer.running_var()[c], expected_var[c], 1e-12) << shape.str();
    }
  }
}

TEST(BatchNorm, EvalUsesTheRunningStatisticsAndLeavesThemAlone) {
  BatchNorm<double> layer(3);
  Rng rng(7);
  for (int step = 0; step < 3; ++step) layer.forward(random_tensor(Shape{8, 3, 2, 2}, rng, 1.0, 2.0));
  layer.gamma()[1] = 2.0;
  layer.beta()[2] = -0.5;
  const Tensor<double> running_mean = layer.running_mean();
  const Tensor<double> running_var = layer.running_var();

  layer.set_training(false);
  const Tensor<double> x = random_tensor(Shape{1, 3, 2, 2}, rng);  // a batch of one is fine in eval
  const Tensor<double> first = layer.forward(x);
  const Tensor<double>& second = layer.forward(x);
  for (int64_t i = 0; i < x.size(); ++i) {
    const int64_t c = i / 4;
    const double expected =
        layer.gamma()[c] * (x[i] - running_mean[c]) / std::sqrt(running_var[c] + 1e-5) + layer.beta()[c];
    EXPECT_NEAR(first[i], expected, 1e-12);
    EXPECT_EQ(first[i], second[i]);
  }
  for (int64_t c = 0; c < 3; ++c) {
    EXPECT_EQ(layer.running_mean()[c], running_mean[c]);
    EXPECT_EQ(layer.running_var()[c], running_var[c]);
  }
}

TEST(BatchNorm, TrainingOnOneValuePerChannelIsAnError) {
  BatchNorm<float> layer(4);
  try {
    layer.forward(Tensor<float>(Shape{1, 4}, 1.0f));
    FAIL() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("more than 1 value per channel"), std::string::npos) << e.what();
  }
  EXPECT_NO_THROW(layer.forward(Tensor<float>(Shape{2, 4}, 1.0f)));
  BatchNorm<float> image(4);
  EXPECT_NO_THROW(image.forward(Tensor<float>(Shape{1, 4, 2, 2}, 1.0f)));  // four values per channel
  layer.set_training(false);
  EXPECT_NO_THROW(layer.forward(Tensor<float>(Shape{1, 4}, 1.0f)));
}

TEST(BatchNorm, InitializeResetsScaleShiftAndRunningStatistics) {
  BatchNorm<float> layer(3);
  Rng rng(8);
  layer.forward(Tensor<float>(Shape{2, 3}, std::vector<float>{1, 2, 3, 5, 7, 9}));
  layer.gamma().fill(3.0f);
  layer.beta().fill(1.0f);
  layer.initialize(Initializer::constant(0.5), rng);
  for (int64_t c = 0; c < 3; ++c) {
    EXPECT_EQ(layer.gamma()[c], 1.0f);
    EXPECT_EQ(layer.beta()[c], 0.0f);
    EXPECT_EQ(layer.running_mean()[c], 0.0f);
    EXPECT_EQ(layer.running_var()[c], 1.0f);
  }
  const auto params = layer.parameters();
  ASSERT_EQ(params.size(), 2u);
  EXPECT_EQ(params[0].name, "weight");
  EXPECT_EQ(params[1].name, "bias");
  EXPECT_FALSE(params[0].decay);
  EXPECT_FALSE(params[1].decay);
}

TEST(BatchNorm, RejectsBadSettingsAndShapes) {
  EXPECT_THROW(BatchNorm<float>(0), std::invalid_argument);
  EXPECT_THROW(BatchNorm<float>(3, 0.0), std::invalid_argument);
  EXPECT_THROW(BatchNorm<float>(3, 1e-5, 1.5), std::invalid_argument);
  BatchNorm<float> layer(3);
  EXPECT_THROW(layer.forward(Tensor<float>(Shape{4, 5})), std::invalid_argument);
  EXPECT_THROW(layer.forward(Tensor<float>(Shape{4, 2, 3, 3})), std::invalid_argument);
  EXPECT_THROW(layer.output_shape(Shape{4}), std::invalid_argument);
  EXPECT_EQ(layer.output_shape(Shape{3, 5, 5}), (Shape{3, 5, 5}));
  EXPECT_THROW(layer.backward(Tensor<float>(Shape{4, 3})), std::logic_error);
  layer.forward(Tensor<float>(Shape{4, 3}, 1.0f));
  EXPECT_THROW(layer.backward(Tensor<float>(Shape{4, 2})), std::invalid_argument);
}

TEST(BatchNorm, DoesNotReallocateForTheSameOrSmallerBatch) {
  BatchNorm<float> layer(2);
  Tensor<float> big(Shape{8, 2, 3, 3}, 1.0f), small(Shape{4, 2, 3, 3}, 2.0f);
  big[0] = 3.0f;
  small[0] = 3.0f;
  const float* y = layer.forward(big).data();
  const float* dx = layer.backward(big).data();
  EXPECT_EQ(layer.forward(small).data(), y);
  EXPECT_EQ(layer.backward(small).data(), dx);
  EXPECT_EQ(layer.forward(big).data(), y);
  EXPECT_EQ(layer.backward(big).data(), dx);
}

TEST(BatchNorm, ModelListsItsRunningStatisticsAsBuffers) {
  Sequential<float> model = build_model<float>("linear:4,batchnorm,relu,linear:3", Shape{5});
  const auto buffers = model.buffers();
  ASSERT_EQ(buffers.size(), 2u);
  EXPECT_EQ(buffers[0].first, "1.running_mean");
  EXPECT_EQ(buffers[1].first, "1.running_var");
  EXPECT_EQ(buffers[1].second->shape(), (Shape{4}));
  const auto params = model.parameters();
  ASSERT_EQ(params.size(), 6u);
  EXPECT_EQ(params[2].name, "1.weight");
  EXPECT_EQ(params[3].name, "1.bias");
}

TEST(BatchNorm, TracksTrainingBatchesAsPyTorchDoes) {
  Sequential<float> model = build_model<float>("linear:4,batchnorm,relu,linear:3", Shape{5});
  const auto integers = model.integer_buffers();
  ASSERT_EQ(integers.size(), 1u);
  EXPECT_EQ(integers[0].first, "1.num_batches_tracked");
  auto& layer = dynamic_cast<BatchNorm<float>&>(model[1]);
  const Tensor<float> x(Shape{3, 5}, std::vector<float>(15, 0.5f));
  model.train();
  model.forward(x);
  model.forward(x);
  model.eval();
  model.forward(x);  // eval forwards use the running statistics and do not count
  EXPECT_EQ(layer.num_batches_tracked(), 2);
  EXPECT_EQ(*integers[0].second, 2);
  Rng rng(1);
  model.initialize(Initializer::he_normal(), rng);
  EXPECT_EQ(layer.num_batches_tracked(), 0);
}

TEST(BatchNorm, SpecInfersFeaturesOrChannels) {
  Sequential<float> dense = build_model<float>("linear:7,batchnorm:eps=0.001:momentum=0.2", Shape{5});
  const auto& layer = dynamic_cast<const BatchNorm<float>&>(dense[1]);
  EXPECT_EQ(layer.num_features(), 7);
  EXPECT_EQ(layer.eps(), 0.001);
  EXPECT_EQ(layer.momentum(), 0.2);
  EXPECT_EQ(dense.spec(), "linear:7,batchnorm:eps=0.001:momentum=0.2");
  Sequential<float> image = build_model<float>("batchnorm", Shape{3, 8, 8});
  EXPECT_EQ(dynamic_cast<const BatchNorm<float>&>(image[0]).num_features(), 3);
  EXPECT_EQ(image.spec(), "batchnorm");
  EXPECT_EQ(image.output_shape(), (Shape{3, 8, 8}));
}

TEST(BatchNorm, SpecNamesTheBadPart) {
  const std::string abc = spec_error("linear:4,batchnorm:momentum=abc", Shape{3});
  EXPECT_NE(abc.find("'batchnorm:momentum=abc'"), std::string::npos) << abc;
  EXPECT_NE(abc.find("momentum 'abc' is not a number"), std::string::npos) << abc;
  const std::string range = spec_error("batchnorm:momentum=1.5", Shape{3});
  EXPECT_NE(range.find("'batchnorm:momentum=1.5'"), std::string::npos) << range;
  EXPECT_NE(range.find("momentum must be in [0, 1]"), std::string::npos) << range;
  EXPECT_NE(spec_error("batchnorm:eps=0", Shape{3}).find("eps must be"), std::string::npos);
  EXPECT_NE(spec_error("batchnorm:eps=1e-5x", Shape{3}).find("not a number"), std::string::npos);
  EXPECT_NE(spec_error("batchnorm:3", Shape{3}).find("too many values"), std::string::npos);
  EXPECT_NE(spec_error("batchnorm:gamma=2", Shape{3}).find("unknown option 'gamma'"), std::string::npos);
  EXPECT_NE(spec_error("batchnorm:init=he", Shape{3}).find("takes no init"), std::string::npos);
}

}  // namespace nnlab::test
