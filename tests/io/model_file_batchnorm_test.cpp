// A model with BatchNorm keeps its running statistics through save_model/load_model:
// without them the reloaded model would normalise with mean 0 and variance 1 and
// predict something else in eval mode.

#include <gtest/gtest.h>

#include <string>
#include <vector>

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
  ASSERT_TRUE(contents.tensors.count("1.num_batches_tracked"));

  LoadedModel loaded = load_model(dir.file("bn.safetensors"));
  EXPECT_EQ(loaded.model.spec(), kSpec);
  EXPECT_FALSE(loaded.model.training());
  auto& loaded_bn = dynamic_cast<BatchNorm<float>&>(loaded.model[1]);
  for (int64_t i = 0; i < bn.num_features(); ++i) {
    EXPECT_EQ(loaded_bn.running_mean()[i], bn.running_mean()[i]) << i;
    EXPECT_EQ(loaded_bn.running_var()[i], bn.running_var()[i]) << i;
  }
  EXPECT_EQ(loaded_bn.num_batches_tracked(), 30);
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

// PyTorch's state dict of BatchNorm1d: weight, bias, running_mean, running_var and an
// int64 scalar num_batches_tracked.
TEST(ModelFileBatchNorm, TensorsHavePyTorchNamesShapesAndDtypes) {
  TempDir dir;
  Sequential<float> model = trained_model();
  save_model(model, dir.file("bn.safetensors"));
  const auto contents = read_safetensors(dir.file("bn.safetensors"));
  std::vector<std::string> names;
  for (const auto& [name, tensor] : contents.tensors) {
    if (name.starts_with("1.")) names.push_back(name);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"1.bias", "1.num_batches_tracked", "1.running_mean", "1.running_var",
                                             "1.weight"}));
  for (const char* name : {"1.weight", "1.bias", "1.running_mean", "1.running_var"}) {
    EXPECT_EQ(contents.tensors.at(name).dtype, "F32") << name;
    EXPECT_EQ(contents.tensors.at(name).shape, (std::vector<int64_t>{8})) << name;
  }
  const SafetensorsTensor& batches = contents.tensors.at("1.num_batches_tracked");
  EXPECT_EQ(batches.dtype, "I64");
  EXPECT_TRUE(batches.shape.empty());
  EXPECT_EQ(batches.integers, (std::vector<int64_t>{30}));
  EXPECT_TRUE(batches.data.empty());
}

// Files saved before nnlab used PyTorch's names: gamma and beta, no num_batches_tracked.
TEST(ModelFileBatchNorm, LoadsFilesWithTheOlderNames) {
  TempDir dir;
  Sequential<float> model = build_model<float>("linear:8,batchnorm,relu,linear:8,layernorm,linear:3", Shape{4});
  Rng rng(3);
  model.initialize(Initializer::he_normal(), rng);
  model.train();
  Tensor<float> x(Shape{16, 4});
  for (int step = 0; step < 5; ++step) {
    for (auto& v : x) v = 1.0f + static_cast<float>(rng.normal());
    model.forward(x);
  }
  for (const auto& p : model.parameters()) {
    for (float& v : *p.value) v += 0.1f * static_cast<float>(rng.normal());  // γ ≠ 1, β ≠ 0
  }
  model.eval();
  const Tensor<float> expected = model.forward(probe());
  save_model(model, dir.file("new.safetensors"));

  SafetensorsContents contents = read_safetensors(dir.file("new.safetensors"));
  for (const std::string layer : {"1.", "4."}) {
    contents.tensors[layer + "gamma"] = contents.tensors.at(layer + "weight");
    contents.tensors[layer + "beta"] = contents.tensors.at(layer + "bias");
    contents.tensors.erase(layer + "weight");
    contents.tensors.erase(layer + "bias");
  }
  contents.tensors.erase("1.num_batches_tracked");
  write_safetensors(dir.file("old.safetensors"), contents);

  LoadedModel loaded = load_model(dir.file("old.safetensors"));
  const Tensor<float>& actual = loaded.model.forward(probe());
  ASSERT_EQ(actual.shape(), expected.shape());
  for (int64_t i = 0; i < expected.size(); ++i) EXPECT_EQ(actual[i], expected[i]) << i;
  EXPECT_EQ(dynamic_cast<BatchNorm<float>&>(loaded.model[1]).num_batches_tracked(), 0);
}

// LayerNorm over images kept γ and β flat (C·H·W) under the older names; now C×H×W.
TEST(ModelFileBatchNorm, LoadsFlatLayerNormTensorsUnderTheOlderNames) {
  TempDir dir;
  Sequential<float> model = build_model<float>("conv:2x3,layernorm,linear:3", Shape{1, 5, 5});
  Rng rng(4);
  model.initialize(Initializer::he_normal(), rng);
  for (const auto& p : model.parameters()) {
    for (float& v : *p.value) v += 0.1f * static_cast<float>(rng.normal());
  }
  model.eval();
  Tensor<float> x(Shape{3, 1, 5, 5});
  for (float& v : x) v = static_cast<float>(rng.normal());
  const Tensor<float> expected = model.forward(x);
  save_model(model, dir.file("new.safetensors"));

  SafetensorsContents contents = read_safetensors(dir.file("new.safetensors"));
  EXPECT_EQ(contents.tensors.at("1.weight").shape, (std::vector<int64_t>{2, 3, 3}));
  for (const auto& [now, before] : {std::pair{"1.weight", "1.gamma"}, std::pair{"1.bias", "1.beta"}}) {
    contents.tensors[before] = contents.tensors.at(now);
    contents.tensors[before].shape = {18};
    contents.tensors.erase(now);
  }
  write_safetensors(dir.file("old.safetensors"), contents);
  LoadedModel loaded = load_model(dir.file("old.safetensors"));
  const Tensor<float>& actual = loaded.model.forward(x);
  for (int64_t i = 0; i < expected.size(); ++i) EXPECT_EQ(actual[i], expected[i]) << i;

  // Under the current names the shape must be the current one.
  contents = read_safetensors(dir.file("new.safetensors"));
  contents.tensors["1.weight"].shape = {18};
  write_safetensors(dir.file("flat.safetensors"), contents);
  EXPECT_THROW(load_model(dir.file("flat.safetensors")), std::runtime_error);
}

TEST(ModelFileBatchNorm, BadNamesAndDtypesAreErrors) {
  TempDir dir;
  Sequential<float> model = trained_model();
  save_model(model, dir.file("good.safetensors"));
  const SafetensorsContents good = read_safetensors(dir.file("good.safetensors"));
  const auto expect_error = [&](const std::string& name, auto change, const std::string& words) {
    SafetensorsContents contents = good;
    change(contents);
    write_safetensors(dir.file(name), contents);
    try {
      load_model(dir.file(name));
      ADD_FAILURE() << "no error for " << words;
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
    }
  };
  // Both names at once: the older one is then a tensor the model does not have.
  expect_error(
      "both.safetensors", [](auto& c) { c.tensors["1.gamma"] = c.tensors.at("1.weight"); },
      "tensor 1.gamma is not part of the model");
  expect_error(
      "float_count.safetensors",
      [](auto& c) {
        c.tensors["1.num_batches_tracked"] = {{}, {30.0f}, "F32"};
      },
      "tensor 1.num_batches_tracked is F32 of shape [], the model needs an I64 scalar");
  expect_error(
      "integer_weight.safetensors",
      [](auto& c) {
        c.tensors["1.weight"] = {{8}, {}, "I64", std::vector<int64_t>(8, 1)};
      },
      "tensor 1.weight has dtype I64, the model needs F32 or F64");
}

}  // namespace
}  // namespace nnlab::test
