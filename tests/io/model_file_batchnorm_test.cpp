// A model with BatchNorm keeps its running statistics through save_model/load_model:
// without them the reloaded model would normalise with mean 0 and variance 1 and
// predict something else in eval mode.

#include <gtest/gtest.h>

#include "nnlab/io/model_file.h"
#include "nnlab/io/safetensors.h"
#include "nnlab/layers/batchnorm.h"
#include "nnlab/model/model_spec.h"
#include "temp_dir.h"

namespace nnlab::test {
namespace {

constexpr const char* kSpec = "linear:8,batchnorm,relu,dropout:0.3,linear:3";

// Training-mode forwards on shifted, scaled batches move the running statistics far
// from their initial 0 and 1.
Sequential<float> trained_model() {
  Sequential<float> model = build_model<float>(kSpec, Shape{4});
  Rng rng(5);
  model.initialize(Initializer::he_normal(), rng);
  model.train();
  Tensor<float> x(Shape{16, 4});
  for (int step = 0; step < 30; ++step) {
    for (auto& v : x) v = 3.0f + 2.0f * static_cast<float>(rng.normal());
    model.forward(x);
  }
  return model;
}

Tensor<float> probe() {
  Tensor<float> x(Shape{5, 4});
  for (int64_t i = 0; i < x.size(); ++i) x[i] = 2.0f + static_cast<float>(i % 6) * 0.5f;
  return x;
}

TEST(ModelFileBatchNorm, ReloadsRunningStatisticsAndGivesTheSameEvalOutput) {
  TempDir dir;
  Sequential<float> model = trained_model();
  auto& bn = dynamic_cast<BatchNorm<float>&>(model[1]);
  ASSERT_GT(std::abs(bn.running_mean()[0]), 0.1f);  // the statistics moved
  model.eval();
  const Tensor<float> expected = model.forward(probe());
  save_model(model, dir.file("bn.safetensors"));

  const auto contents = read_safetensors(dir.file("bn.safetensors"));
  EXPECT_TRUE(contents.tensors.count("1.running_mean"));
  EXPECT_TRUE(contents.tensors.count("1.running_var"));

  LoadedModel loaded = load_model(dir.file("bn.safetensors"));
  EXPECT_EQ(loaded.model.spec(), kSpec);
  EXPECT_FALSE(loaded.model.training());
  auto& loaded_bn = dynamic_cast<BatchNorm<float>&>(loaded.model[1]);
  for (int64_t i = 0; i < bn.num_features(); ++i) {
    EXPECT_EQ(loaded_bn.running_mean()[i], bn.running_mean()[i]) << i;
    EXPECT_EQ(loaded_bn.running_var()[i], bn.running_var()[i]) << i;
  }
  const Tensor<float>& actual = loaded.model.forward(probe());
  ASSERT_EQ(actual.shape(), expected.shape());
  for (int64_t i = 0; i < expected.size(); ++i) EXPECT_EQ(actual[i], expected[i]) << i;

  // The same weights with fresh statistics predict differently: the statistics were needed.
  Sequential<float> fresh = build_model<float>(kSpec, Shape{4});
  const auto from = model.parameters();
  const auto to = fresh.parameters();
  for (size_t p = 0; p < from.size(); ++p) *to[p].value = *from[p].value;
  fresh.eval();
  const Tensor<float>& other = fresh.forward(probe());
  double difference = 0;
  for (int64_t i = 0; i < expected.size(); ++i) difference += std::abs(other[i] - expected[i]);
  EXPECT_GT(difference, 0.1);
}

}  // namespace
}  // namespace nnlab::test
