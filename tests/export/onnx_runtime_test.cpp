// The real check of ONNX export: exported files pass Debian's python3-onnx checker (full_check)
// and, run in onnxruntime (onnxruntime-node, tests/onnx/run_model.js), give nnlab's own outputs
// within 1e-5 and the same predictions, at batch sizes 50, 1 and 7 (the batch is dynamic).
// The four networks (an MLP, SimpleConvNet, DeepConvNet, the residual preset) are trained for
// 40 steps by `nnlab train` and exported by `nnlab export`, as a user does; the layers no preset
// has (AvgPool2d, LayerNorm, Sigmoid, Tanh, Softmax, Step, BatchNorm on features, projection
// shortcuts) run in small seeded models with non-trivial BatchNorm statistics.
// Missing tools are a failure that says how to install them (make test installs them), never a skip.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "cli/cli_runner.h"
#include "nnlab/data/mnist.h"
#include "nnlab/export/onnx.h"
#include "nnlab/io/model_file.h"
#include "nnlab/model/model_spec.h"

namespace nnlab {
namespace {

const std::string kOnnxTestFolder = std::string(NNLAB_SOURCE_DIR) + "/tests/onnx";
// Debian's Python, which has python3-onnx and numpy (a python3 earlier on PATH may not).
const std::string kDebianPython = "/usr/bin/python3";

struct ShellRun {
  int code = -1;
  std::string output;  // stdout and stderr together
};

ShellRun run_in_shell(const std::string& command, const std::filesystem::path& folder) {
  const auto log = folder / "shell_output.txt";
  const int status = std::system((command + " >" + log.string() + " 2>&1").c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, test::slurp(log)};
}

// Whether onnxruntime-node and python3-onnx are there, with the fix in the message when not.
::testing::AssertionResult onnx_tools_installed(const std::filesystem::path& folder) {
  if (!std::filesystem::exists(kOnnxTestFolder + "/node_modules/onnxruntime-node/package.json")) {
    return ::testing::AssertionFailure() << "onnxruntime-node is not installed in " << kOnnxTestFolder
                                         << "/node_modules: run scripts/install-deps.sh (make test runs it)";
  }
  const ShellRun node = run_in_shell("node --version", folder);
  if (node.code != 0) {
    return ::testing::AssertionFailure() << "node is missing (" << node.output
                                         << "): run scripts/install-deps.sh (make test runs it)";
  }
  const ShellRun python = run_in_shell(kDebianPython + " -c 'import onnx, numpy'", folder);
  if (python.code != 0) {
    return ::testing::AssertionFailure() << kDebianPython << " cannot import onnx and numpy (" << python.output
                                         << "): run scripts/install-deps.sh (it installs python3-onnx)";
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult onnx_checker_accepts(const std::string& onnx_path, const std::filesystem::path& folder) {
  const ShellRun r = run_in_shell(kDebianPython + " " + kOnnxTestFolder + "/check_model.py " + onnx_path, folder);
  std::printf("  checker: %s", r.output.c_str());
  if (r.code != 0) return ::testing::AssertionFailure() << "python3-onnx's checker refuses the file: " << r.output;
  return ::testing::AssertionSuccess();
}

void write_float_file(const std::string& path, const float* values, int64_t count) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(values), static_cast<std::streamsize>(count * 4));
}

std::vector<float> read_float_file(const std::string& path) {
  const std::string bytes = test::slurp(path);
  std::vector<float> values(bytes.size() / 4);
  std::memcpy(values.data(), bytes.data(), values.size() * 4);
  return values;
}

// The first `count` samples of x.
Tensor<float> first_samples(const Tensor<float>& x, int64_t count) {
  Tensor<float> part(x.shape().sample_shape().with_batch(count));
  std::copy(x.data(), x.data() + part.size(), part.data());
  return part;
}

// Runs the file in onnxruntime on the first 50, 1 and 7 samples of `inputs` and compares with
// the model's own forward in eval mode: max |difference| ≤ 1e-5 and the same argmax per sample.
void expect_onnxruntime_matches(const std::string& onnx_path, Sequential<float>& model, const Tensor<float>& inputs,
                                const std::filesystem::path& folder, const std::string& what) {
  model.eval();
  for (const int64_t batch : {int64_t{50}, int64_t{1}, int64_t{7}}) {
    const Tensor<float> x = first_samples(inputs, std::min(batch, inputs.rows()));
    const Tensor<float>& expected = model.forward(x);
    const std::string input_path = (folder / "input.f32").string(), output_path = (folder / "output.f32").string();
    std::filesystem::remove(output_path);
    write_float_file(input_path, x.data(), x.size());
    std::string dims;
    for (int d = 0; d < x.rank(); ++d) dims += (d ? "x" : "") + std::to_string(x.dim(d));
    const ShellRun r = run_in_shell(
        "node " + kOnnxTestFolder + "/run_model.js " + onnx_path + " " + input_path + " " + dims + " " + output_path,
        folder);
    ASSERT_EQ(r.code, 0) << what << ": onnxruntime failed: " << r.output;
    const std::vector<float> actual = read_float_file(output_path);
    ASSERT_EQ(static_cast<int64_t>(actual.size()), expected.size()) << what << ", batch " << batch << ": " << r.output;
    double max_diff = 0, largest = 0;  // largest: the outputs' scale, to read the difference against
    for (int64_t i = 0; i < expected.size(); ++i) {
      largest = std::max(largest, static_cast<double>(std::abs(expected[i])));
      const double diff = std::abs(static_cast<double>(actual[static_cast<size_t>(i)]) - expected[i]);
      max_diff = std::max(max_diff, std::isnan(diff) ? INFINITY : diff);
    }
    const int64_t rows = expected.rows(), classes = expected.row_size();
    int64_t same = 0;
    for (int64_t n = 0; n < rows; ++n) {
      const float* mine = expected.row(n);
      const float* theirs = actual.data() + n * classes;
      same += (std::max_element(mine, mine + classes) - mine) == (std::max_element(theirs, theirs + classes) - theirs);
    }
    std::printf(
        "  %s, batch %lld: max |onnxruntime - nnlab| = %.3g (outputs up to %.3g), %lld/%lld predictions equal\n",
        what.c_str(), static_cast<long long>(rows), max_diff, largest, static_cast<long long>(same),
        static_cast<long long>(rows));
    EXPECT_LE(max_diff, 1e-5) << what << ", batch " << rows;
    EXPECT_EQ(same, rows) << what << ", batch " << rows;
  }
}

const Tensor<float>& test_images() {
  static const Tensor<float> images = first_samples(load_mnist(default_mnist_folder()).test.x, 50);
  return images;
}

class OnnxRuntime : public test::CliRunner {
 protected:
  // Trains the network for 40 steps on 300 images (BatchNorm's running statistics move away
  // from 0 and 1), exports it with nnlab export and runs it in onnxruntime on 50 test images.
  void check_trained_network(const std::string& model_flags, const std::string& what) {
    ASSERT_TRUE(onnx_tools_installed(dir_));
    const std::string run_dir = (dir_ / "run").string(), onnx_path = (dir_ / "model.onnx").string();
    const test::CliResult trained = run("train " + model_flags +
                                        " --train-size 300 --val-split 0 --iterations 40 --batch-size 32 --seed 3"
                                        " --threads 1 --progress quiet --out " +
                                        run_dir);
    ASSERT_EQ(trained.code, 0) << trained.err;
    const std::string model_path = run_dir + "/model.safetensors";
    const test::CliResult exported = run("export --model " + model_path + " --onnx " + onnx_path);
    ASSERT_EQ(exported.code, 0) << exported.err;
    std::printf("  %s", exported.out.c_str());
    EXPECT_NE(exported.out.find("wrote " + onnx_path + ": ONNX opset 17"), std::string::npos) << exported.out;
    ASSERT_TRUE(onnx_checker_accepts(onnx_path, dir_));
    LoadedModel loaded = load_model(model_path);
    expect_onnxruntime_matches(onnx_path, loaded.model, test_images(), dir_, what);
  }

  // A seeded model of the spec with random biases and BatchNorm statistics, exported by the
  // library and run in onnxruntime on random inputs.
  void check_seeded_model(const std::string& spec, const Shape& sample) {
    ASSERT_TRUE(onnx_tools_installed(dir_));
    Sequential<float> model = build_model<float>(spec, sample);
    Rng rng(11);
    model.initialize(Initializer::he_normal(), rng);
    for (const Parameter<float>& p : model.parameters()) {
      if (p.name.ends_with("bias")) {
        for (float& v : *p.value) v = static_cast<float>(0.2 * rng.normal());
      }
      // BatchNorm's and LayerNorm's γ (He init leaves them at 1).
      if (p.name.ends_with("weight") && p.value->rank() == 1) {
        for (float& v : *p.value) v = static_cast<float>(rng.uniform(0.5, 1.5));
      }
    }
    for (auto& [name, buffer] : model.buffers()) {
      const bool variance = name.ends_with("running_var");
      for (float& v : *buffer) v = static_cast<float>(variance ? rng.uniform(0.3, 3.0) : 0.5 * rng.normal());
    }
    Tensor<float> inputs(sample.with_batch(50));
    for (float& v : inputs) v = static_cast<float>(rng.normal());
    const std::string onnx_path = (dir_ / "seeded.onnx").string();
    export_onnx(model, onnx_path);
    ASSERT_TRUE(onnx_checker_accepts(onnx_path, dir_));
    expect_onnxruntime_matches(onnx_path, model, inputs, dir_, spec);
  }
};

TEST_F(OnnxRuntime, Mlp) { check_trained_network("--hidden 100,50 --activation relu", "MLP 784-100-50-10"); }

TEST_F(OnnxRuntime, SimpleConvNet) { check_trained_network("--model simple-cnn", "SimpleConvNet"); }

TEST_F(OnnxRuntime, DeepConvNet) { check_trained_network("--model deep-cnn", "DeepConvNet"); }

TEST_F(OnnxRuntime, ResidualPreset) { check_trained_network("--model resnet", "resnet"); }

TEST_F(OnnxRuntime, ImageLayersNoPresetHas) {
  check_seeded_model(
      "conv:4x3x3:pad=1,batchnorm,tanh,avgpool:3:stride=2:pad=1,layernorm,sigmoid,res(conv:4x3x3:pad=1,relu),"
      "res(conv:6x3x3:stride=2:pad=1,batchnorm),maxpool:2:stride=1,softmax,gap,linear:5",
      Shape{2, 12, 12});
}

TEST_F(OnnxRuntime, FeatureLayersNoPresetHas) {
  check_seeded_model("linear:8,batchnorm,relu,res(linear:8,tanh),res(linear:5,sigmoid),layernorm,softmax", Shape{6});
}

TEST_F(OnnxRuntime, StepIsExact) { check_seeded_model("linear:6,step,linear:3,flatten", Shape{4}); }

}  // namespace
}  // namespace nnlab
