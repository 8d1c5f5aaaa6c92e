#include "nnlab/io/model_file.h"

#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "io/safetensors_bytes.h"
#include "nnlab/io/safetensors.h"
#include "nnlab/model/model_spec.h"
#include "temp_dir.h"

namespace nnlab::test {
namespace {

// The small model of these tests, with random weights and (unlike a fresh
// model) non-zero biases, so that every tensor has something to lose.
Sequential<float> small_model() {
  Sequential<float> model = build_model<float>("linear:5,relu,linear:3", Shape{4});
  Rng rng(7);
  model.initialize(Initializer::he_normal(), rng);
  for (const auto& p : model.parameters()) {
    if (p.name.ends_with("bias")) {
      for (float& b : *p.value) b = static_cast<float>(rng.normal());
    }
  }
  return model;
}

Tensor<float> sample_input() {
  Tensor<float> x(Shape{6, 4});
  for (int64_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i % 7) / 3.0f - 1.0f;
  return x;
}

// Loading fails with one line naming the file and containing `words`.
void expect_load_error(const std::string& path, const std::string& words) {
  try {
    load_model(path);
    ADD_FAILURE() << "no error for " << words;
  } catch (const std::runtime_error& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find(path), std::string::npos) << message;
    EXPECT_NE(message.find(words), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

// The file save_model writes for small_model(), as contents to break on purpose.
SafetensorsContents saved_contents(const TempDir& dir) {
  Sequential<float> model = small_model();
  save_model(model, dir.file("good.safetensors"));
  return read_safetensors(dir.file("good.safetensors"));
}

TEST(ModelFile, RoundTripGivesTheSameOutputsBitForBit) {
  TempDir dir;
  Sequential<float> model = small_model();
  model.eval();
  const std::string path = dir.file("model.safetensors");
  save_model(model, path, {{"nnlab.loss", "softmax-cross-entropy"}, {"nnlab.classes", "3"}});

  LoadedModel loaded = load_model(path);
  EXPECT_FALSE(loaded.model.training());
  EXPECT_EQ(loaded.model.spec(), "linear:5,relu,linear:3");
  EXPECT_EQ(loaded.model.input_shape(), Shape{4});
  EXPECT_EQ(loaded.metadata.at("nnlab.format_version"), "1");
  EXPECT_EQ(loaded.metadata.at("nnlab.model"), "linear:5,relu,linear:3");
  EXPECT_EQ(loaded.metadata.at("nnlab.input_shape"), "4");
  EXPECT_EQ(loaded.metadata.at("nnlab.loss"), "softmax-cross-entropy");
  EXPECT_EQ(loaded.metadata.at("nnlab.classes"), "3");

  const Tensor<float> x = sample_input();
  const Tensor<float> expected = model.forward(x);
  const Tensor<float>& actual = loaded.model.forward(x);
  ASSERT_EQ(actual.shape(), expected.shape());
  for (int64_t i = 0; i < actual.size(); ++i) {
    EXPECT_EQ(std::bit_cast<uint32_t>(actual[i]), std::bit_cast<uint32_t>(expected[i])) << i;
  }
}

TEST(ModelFile, SavesAnyModuleAsTheOneModuleOfASequential) {
  // A residual block on its own (not a Sequential): saved with its input shape, loaded back as the
  // Sequential its spec builds, under "0."-prefixed names, giving the same outputs.
  TempDir dir;
  Sequential<float> holder = build_model<float>("res(linear:6,relu,linear:6)", Shape{4});
  Module<float>& block = holder[0];
  Rng rng(5);
  block.initialize(Initializer::he_normal(), rng);
  const std::string path = dir.file("block.safetensors");
  save_model(block, Shape{4}, path);
  EXPECT_EQ(read_safetensors(path).tensors.count("0.body.0.weight"), 1u);
  EXPECT_EQ(read_safetensors(path).tensors.count("0.shortcut.weight"), 1u);

  LoadedModel loaded = load_model(path);
  EXPECT_EQ(loaded.model.spec(), "res(linear:6,relu,linear:6)");
  const Tensor<float> x = sample_input();
  const Tensor<float> expected = block.forward(x);
  const Tensor<float>& actual = loaded.model.forward(x);
  ASSERT_EQ(actual.shape(), expected.shape());
  for (int64_t i = 0; i < actual.size(); ++i) EXPECT_EQ(actual[i], expected[i]) << i;

  // An input shape the module cannot take is refused before anything is written.
  EXPECT_THROW(save_model(block, Shape{5}, dir.file("bad.safetensors")), std::invalid_argument);
  EXPECT_FALSE(std::filesystem::exists(dir.file("bad.safetensors")));
}

TEST(ModelFile, TensorsHavePyTorchNamesAndShapes) {
  TempDir dir;
  const SafetensorsContents contents = saved_contents(dir);
  ASSERT_EQ(contents.tensors.size(), 4u);
  EXPECT_EQ(contents.tensors.at("0.weight").shape, (std::vector<int64_t>{5, 4}));
  EXPECT_EQ(contents.tensors.at("0.bias").shape, (std::vector<int64_t>{5}));
  EXPECT_EQ(contents.tensors.at("2.weight").shape, (std::vector<int64_t>{3, 5}));
  EXPECT_EQ(contents.tensors.at("2.bias").shape, (std::vector<int64_t>{3}));
  for (const auto& [name, tensor] : contents.tensors) EXPECT_EQ(tensor.dtype, "F32") << name;
}

TEST(ModelFile, ImageInputShapeIsKept) {
  TempDir dir;
  Sequential<float> model = build_model<float>("linear:2", Shape{1, 2, 3});
  save_model(model, dir.file("m.safetensors"));
  LoadedModel loaded = load_model(dir.file("m.safetensors"));
  EXPECT_EQ(loaded.metadata.at("nnlab.input_shape"), "1x2x3");
  EXPECT_EQ(loaded.model.input_shape(), (Shape{1, 2, 3}));
}

TEST(ModelFile, AcceptsF64Tensors) {
  TempDir dir;
  SafetensorsContents contents = saved_contents(dir);
  for (auto& [name, tensor] : contents.tensors) tensor.dtype = "F64";
  write_safetensors(dir.file("f64.safetensors"), contents);
  LoadedModel loaded = load_model(dir.file("f64.safetensors"));
  for (const auto& p : loaded.model.parameters()) {
    const auto& stored = contents.tensors.at(p.name).data;
    EXPECT_TRUE(std::equal(stored.begin(), stored.end(), p.value->begin())) << p.name;
  }
}

TEST(ModelFile, BadFilesNameThePathAndTheProblem) {
  TempDir dir;
  const SafetensorsContents good = saved_contents(dir);
  const auto broken = [&](const std::string& name, auto change) {
    SafetensorsContents contents = good;
    change(contents);
    write_safetensors(dir.file(name), contents);
    return dir.file(name);
  };

  expect_load_error(dir.file("missing.safetensors"), "cannot open");
  const std::string short_file = dir.file("short.safetensors");
  write_bytes(short_file, "abc");
  expect_load_error(short_file, "shorter than the 8-byte header length");
  const std::string long_header = dir.file("long.safetensors");
  write_bytes(long_header, safetensors_bytes("{}", "").substr(0, 9));
  expect_load_error(long_header, "header length 2 is larger than the file");
  const std::string not_json = dir.file("notjson.safetensors");
  write_bytes(not_json, safetensors_bytes("{nope}   ", ""));
  expect_load_error(not_json, "header is not valid JSON");
  const std::string bad_dtype = dir.file("dtype.safetensors");
  write_bytes(bad_dtype, safetensors_bytes(R"({"0.weight":{"dtype":"BF16","shape":[1],"data_offsets":[0,2]}})", "ab"));
  expect_load_error(bad_dtype, "tensor '0.weight' has dtype BF16");
  const std::string out_of_range = dir.file("range.safetensors");
  write_bytes(out_of_range, safetensors_bytes(R"({"0.bias":{"dtype":"F32","shape":[5],"data_offsets":[0,20]}})", "ab"));
  expect_load_error(out_of_range, "run past the end of the data");

  expect_load_error(broken("foreign.safetensors", [](auto& c) { c.metadata.clear(); }),
                    "not an nnlab model: no nnlab.model in metadata");
  expect_load_error(broken("noshape.safetensors", [](auto& c) { c.metadata.erase("nnlab.input_shape"); }),
                    "not an nnlab model: no nnlab.input_shape in metadata");
  expect_load_error(broken("version.safetensors", [](auto& c) { c.metadata["nnlab.format_version"] = "2"; }),
                    "format version 2, this nnlab reads version 1");
  expect_load_error(broken("spec.safetensors", [](auto& c) { c.metadata["nnlab.model"] = "linear:5,conv9"; }),
                    "bad nnlab.model 'linear:5,conv9'");
  expect_load_error(broken("input.safetensors", [](auto& c) { c.metadata["nnlab.input_shape"] = "four"; }),
                    "bad nnlab.input_shape");
  expect_load_error(broken("less.safetensors", [](auto& c) { c.tensors.erase("2.bias"); }), "tensor 2.bias is missing");
  expect_load_error(broken("more.safetensors",
                           [](auto& c) {
                             c.tensors["4.weight"] = {{1}, {0.0f}, "F32"};
                           }),
                    "tensor 4.weight is not part of the model");
  expect_load_error(broken("transposed.safetensors",
                           [](auto& c) {
                             c.tensors["0.weight"].shape = {4, 5};
                           }),
                    "tensor 0.weight has shape [4, 5], the model needs [5, 4]");
}

TEST(ModelFile, WrongShapeMessageReadsLikeTheDocs) {
  TempDir dir;
  SafetensorsContents contents;
  contents.metadata = {{"nnlab.format_version", "1"}, {"nnlab.model", "linear:100"}, {"nnlab.input_shape", "784"}};
  contents.tensors["0.weight"] = {{10, 784}, std::vector<float>(7840), "F32"};
  contents.tensors["0.bias"] = {{100}, std::vector<float>(100), "F32"};
  const std::string path = dir.file("wrong.safetensors");
  write_safetensors(path, contents);
  try {
    load_model(path);
    ADD_FAILURE() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), path + ": tensor 0.weight has shape [10, 784], the model needs [100, 784]");
  }
}

TEST(ModelFile, SavingIsAtomic) {
  TempDir dir;
  Sequential<float> model = small_model();
  const std::string nowhere = dir.file("no_such_folder") + "/model.safetensors";
  EXPECT_THROW(save_model(model, nowhere), std::runtime_error);
  EXPECT_FALSE(std::filesystem::exists(dir.file("no_such_folder")));
  EXPECT_TRUE(dir.names().empty());

  const std::string path = dir.file("model.safetensors");
  save_model(model, path);
  save_model(model, path);  // overwriting leaves one file too
  EXPECT_EQ(dir.names(), std::vector<std::string>{"model.safetensors"});
}

TEST(ModelFile, ExtraMetadataCannotOverrideTheModel) {
  TempDir dir;
  Sequential<float> model = small_model();
  EXPECT_THROW(save_model(model, dir.file("m.safetensors"), {{"nnlab.model", "linear:1"}}), std::invalid_argument);
  EXPECT_TRUE(dir.names().empty());
}

// PyTorch reads the file with nothing but json, struct and torch.frombuffer, loads it
// into `net` (Python code that builds the same nn.Sequential) with
// load_state_dict(strict=True), finds every tensor's dtype as its own state dict has
// it, and gives the same outputs for x as `model` in eval mode.
void expect_pytorch_loads(Sequential<float>& model, const Tensor<float>& x, const std::string& net) {
  if (std::system("/usr/bin/python3 -c 'import torch' >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "/usr/bin/python3 with torch is not available";
  }
  TempDir dir;
  model.eval();
  save_model(model, dir.file("model.safetensors"));
  SafetensorsContents io;
  io.tensors["x"] = {x.shape().to_vector(), {x.begin(), x.end()}, "F32"};
  const Tensor<float>& y = model.forward(x);
  io.tensors["y"] = {y.shape().to_vector(), {y.begin(), y.end()}, "F32"};
  write_safetensors(dir.file("io.safetensors"), io);

  const std::string script = R"(
import json, struct, sys, torch
dtypes = {'F32': torch.float32, 'I64': torch.int64}
def load(path):
    raw = open(path, 'rb').read()
    (n,) = struct.unpack('<Q', raw[:8])
    header = json.loads(raw[8:8 + n])
    meta = header.pop('__metadata__', {})
    data = bytearray(raw[8 + n:])
    tensors = {}
    for name, info in header.items():
        begin, end = info['data_offsets']
        tensors[name] = torch.frombuffer(data[begin:end], dtype=dtypes[info['dtype']]).reshape(info['shape'])
    return meta, tensors
meta, state = load(sys.argv[1])
_, io = load(sys.argv[2])
nn = torch.nn
net = )" + net + R"(
net.load_state_dict(state, strict=True)
for name, tensor in net.state_dict().items():
    assert state[name].dtype == tensor.dtype, (name, state[name].dtype, tensor.dtype)
    assert torch.equal(state[name], tensor), name
net.eval()
with torch.no_grad():
    y = net(io['x'])
sys.exit(0 if torch.allclose(y, io['y'], rtol=1e-5, atol=1e-6) else 1)
)";
  write_bytes(dir.file("check.py"), script);
  const std::string command = "/usr/bin/python3 " + dir.file("check.py") + " " + dir.file("model.safetensors") + " " +
                              dir.file("io.safetensors");
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
}

TEST(ModelFile, PyTorchLoadsTheFile) {
  Sequential<float> model = small_model();
  expect_pytorch_loads(model, sample_input(), "nn.Sequential(nn.Linear(4, 5), nn.ReLU(), nn.Linear(5, 3))");
}

// BatchNorm2d and BatchNorm1d (weight, bias, running statistics, int64 num_batches_tracked)
// and LayerNorm over images (weight C×H×W) and features, after training-mode forwards
// have moved the statistics.
TEST(ModelFile, PyTorchLoadsAModelWithNormalisationLayers) {
  Sequential<float> model = build_model<float>(
      "conv:4x3,batchnorm,relu,layernorm,flatten,linear:6,batchnorm,relu,linear:8,layernorm,linear:3", Shape{1, 6, 6});
  Rng rng(11);
  model.initialize(Initializer::he_normal(), rng);
  for (const auto& p : model.parameters()) {
    for (float& v : *p.value) v += 0.1f * static_cast<float>(rng.normal());  // γ ≠ 1, β ≠ 0, biases ≠ 0
  }
  model.train();
  Tensor<float> batch(Shape{8, 1, 6, 6});
  for (int step = 0; step < 7; ++step) {
    for (float& v : batch) v = 0.5f + static_cast<float>(rng.normal());
    model.forward(batch);
  }
  Tensor<float> x(Shape{5, 1, 6, 6});
  for (float& v : x) v = 0.5f + static_cast<float>(rng.normal());
  expect_pytorch_loads(model, x,
                       "nn.Sequential(nn.Conv2d(1, 4, 3), nn.BatchNorm2d(4), nn.ReLU(), nn.LayerNorm([4, 4, 4]), "
                       "nn.Flatten(), "
                       "nn.Linear(64, 6), nn.BatchNorm1d(6), nn.ReLU(), nn.Linear(6, 8), nn.LayerNorm(8), "
                       "nn.Linear(8, 3))");
}

}  // namespace
}  // namespace nnlab::test
