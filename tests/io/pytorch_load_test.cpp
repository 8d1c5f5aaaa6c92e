// A saved model loads into the equivalent PyTorch model with load_state_dict(strict=True)
// and computes the same output (scripts/reference/load_in_pytorch.py builds the nn.Module
// tree from the file's spec). Runs where Debian's python3-torch is installed; skipped elsewhere.

#include <cstdio>
#include <sstream>

#include "nnlab/io/model_file.h"
#include "nnlab/model/model_spec.h"
#include "temp_dir.h"
#include "test_util.h"

namespace nnlab::test {

namespace {
bool torch_available() { return std::system("/usr/bin/python3 -c 'import torch' >/dev/null 2>&1") == 0; }

std::string run_python(const std::string& model) {
  const std::string command =
      "/usr/bin/python3 " + std::string(NNLAB_SOURCE_DIR) + "/scripts/reference/load_in_pytorch.py " + model + " 2>&1";
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buffer[4096];
  while (fgets(buffer, sizeof(buffer), pipe) != nullptr) out += buffer;
  pclose(pipe);
  return out;
}
}  // namespace

// Convolutional networks whose Linear reads the image output directly (no flatten in the
// spec, as the docs write them): PyTorch's equivalent flattens in that Linear's forward.
TEST(PyTorchLoad, ResidualAndConvToLinearModelsLoadStrictlyAndAgree) {
  if (!torch_available()) GTEST_SKIP() << "python3-torch is not installed";
  TempDir dir;
  for (const auto& [spec, shape] : std::vector<std::pair<std::string, Shape>>{
           {"resnet", Shape{1, 28, 28}},
           {"simple-cnn", Shape{1, 28, 28}},
           {"deep-cnn", Shape{1, 28, 28}},
           {"conv:3x3x3,relu,maxpool:2,linear:7,relu,linear:4", Shape{2, 9, 9}},
           {"conv:4x3x3:stride=2:pad=1,batchnorm,relu,res(conv:8x3x3:stride=2:pad=1,relu,conv:8x3x3:pad=1),"
            "avgpool:2,flatten,dropout:0.2,linear:10",
            Shape{1, 12, 12}},
           {"linear:6,res(linear:6,tanh,linear:6),res(layernorm,linear:3),sigmoid", Shape{5}}}) {
    SCOPED_TRACE(spec);
    Sequential<float> model = build_model<float>(spec, shape);
    Rng rng(5);
    model.initialize(Initializer::he_normal(), rng);
    // Running statistics away from 0 and 1, so that eval mode uses them for real.
    for (auto& [name, tensor] : model.buffers()) {
      for (float& v : *tensor) v = name.ends_with("running_var") ? 0.5f + static_cast<float>(rng.uniform()) : 0.1f;
    }
    const std::string path = (dir.path() / "model.safetensors").string();
    save_model(model, path);
    const std::string out = run_python(path);
    ASSERT_EQ(out.rfind("strict load: ok\n", 0), 0u) << out;
    std::istringstream values(out.substr(out.find('\n') + 1));
    model.eval();
    const Tensor<float> x(shape.with_batch(1), 0.5f);
    const Tensor<float>& y = model.forward(x);
    for (int64_t i = 0; i < y.size(); ++i) {
      double torch_value = 0;
      ASSERT_TRUE(values >> torch_value) << out;
      EXPECT_NEAR(y[i], torch_value, 1e-4 * std::max(1.0, std::abs(torch_value))) << i;
    }
  }
}

}  // namespace nnlab::test
