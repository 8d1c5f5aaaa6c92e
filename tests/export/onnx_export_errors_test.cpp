// What ONNX export refuses, and how: a layer it does not know (named by path and type), a file it
// cannot write (named; no partial file left), and nnlab export's bad input (one line, exit 2).

#include <gtest/gtest.h>

#include <filesystem>

#include "cli/cli_runner.h"
#include "nnlab/export/onnx.h"
#include "nnlab/io/model_file.h"
#include "nnlab/layers/layer.h"
#include "nnlab/layers/linear.h"
#include "nnlab/model/model_spec.h"
#include "nnlab/model/residual.h"

namespace nnlab {
namespace {

// A module type of one's own, which ONNX export cannot know.
class Doubler final : public Layer<float> {
 public:
  std::string type() const override { return "Doubler"; }
  std::string spec() const override { return "doubler"; }
  Shape output_shape(const Shape& input_sample) const override { return input_sample; }
  const Tensor<float>& forward(const Tensor<float>& x) override { return x; }
  const Tensor<float>& backward(const Tensor<float>& dy) override { return dy; }
};

std::string export_message(Module<float>& model, const Shape& sample) {
  try {
    onnx_model_bytes(model, sample);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(OnnxExportErrors, UnknownLayerNamesItsPathAndType) {
  Sequential<float> model = build_model<float>("linear:4,relu", Shape{3});
  model.add(std::make_unique<Doubler>());
  const std::string message = export_message(model, Shape{3});
  EXPECT_NE(message.find("layer 2 (Doubler)"), std::string::npos) << message;
  EXPECT_NE(message.find("ONNX"), std::string::npos) << message;

  // Inside a residual block: the dotted path.
  Sequential<float> body = build_model<float>("relu", Shape{3});
  body.add(std::make_unique<Doubler>());
  Sequential<float> outer(Shape{3});
  outer.add(std::make_unique<Linear<float>>(3, 3)).add(std::make_unique<Residual<float>>(std::move(body)));
  const std::string nested = export_message(outer, Shape{3});
  EXPECT_NE(nested.find("layer 1.body.1 (Doubler)"), std::string::npos) << nested;
}

TEST(OnnxExportErrors, ModelThatCannotTakeTheInput) {
  Sequential<float> model = build_model<float>("linear:4", Shape{3});
  EXPECT_THROW(onnx_model_bytes(model, Shape{5}), std::invalid_argument);
}

class OnnxExportCli : public test::CliRunner {
 protected:
  std::string saved_model() {
    Sequential<float> model = build_model<float>("linear:4,relu,linear:2", Shape{3});
    const std::string path = (dir_ / "m.safetensors").string();
    save_model(model, path);
    return path;
  }
};

TEST_F(OnnxExportCli, WritesTheFileAndSaysWhat) {
  const std::string onnx = (dir_ / "m.onnx").string();
  const test::CliResult r = run("export --model " + saved_model() + " --onnx " + onnx);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("wrote " + onnx + ": ONNX opset 17, 3 nodes, 4 initializers"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("input 'input': float32 batch x 3; output 'logits': float32 batch x 2"), std::string::npos)
      << r.out;
  EXPECT_TRUE(std::filesystem::exists(onnx));
}

TEST_F(OnnxExportCli, HelpDescribesExport) {
  const test::CliResult r = run("export --help");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("--onnx"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--model"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("opset 17"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("onnxruntime"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("Subcommands"), std::string::npos) << "the top-level help: " << r.out;
}

TEST_F(OnnxExportCli, MissingOrGarbageModelFile) {
  const std::string onnx = (dir_ / "m.onnx").string();
  const std::string missing = (dir_ / "nothing.safetensors").string();
  test::CliResult r = run("export --model " + missing + " --onnx " + onnx);
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(test::lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find(missing), std::string::npos) << r.err;

  const std::string garbage = (dir_ / "garbage.safetensors").string();
  test::write_bytes(garbage, "this is not a model");
  r = run("export --model " + garbage + " --onnx " + onnx);
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(test::lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find(garbage), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(onnx));

  r = run("export --model " + garbage);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--onnx"), std::string::npos) << r.err;
}

TEST_F(OnnxExportCli, UnwritableOutputLeavesNoPartialFile) {
  const std::string model = saved_model();
  const std::string folder = (dir_ / "no-such-folder").string();
  test::CliResult r = run("export --model " + model + " --onnx " + folder + "/m.onnx");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(test::lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find(folder + "/m.onnx"), std::string::npos) << r.err;

  // A full disk part-way: the old file stays as it was, and no temporary file is left.
  const std::string onnx = (dir_ / "old.onnx").string();
  test::write_bytes(onnx, "old contents");
  Sequential<float> big = build_model<float>("linear:2000,linear:10", Shape{100});
  const std::string big_path = (dir_ / "big.safetensors").string();
  save_model(big, big_path);
  r = run("export --model " + big_path + " --onnx " + onnx, "trap '' XFSZ; ulimit -f 100; ");
  EXPECT_EQ(r.code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find(onnx), std::string::npos) << r.err;
  EXPECT_EQ(test::read_bytes(onnx), "old contents");
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    EXPECT_EQ(entry.path().string().find(".tmp"), std::string::npos) << entry.path();
  }
}

TEST(OnnxExportErrors, UnwritablePathThrowsNamingIt) {
  Sequential<float> model = build_model<float>("linear:2", Shape{3});
  const std::string path = "/nonexistent-folder-for-nnlab/m.onnx";
  try {
    export_onnx(model, path);
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace nnlab
