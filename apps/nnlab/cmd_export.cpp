// nnlab export: a saved model as an ONNX file, for onnxruntime and the other ONNX runtimes.

#include <cstdio>

#include "commands.h"
#include "nnlab/export/onnx.h"
#include "nnlab/io/model_file.h"

namespace nnlab::cli {

namespace {

struct ExportSettings {
  std::string model;
  std::string onnx;
  std::string input_name = "input";
  std::string output_name;  // empty: "probabilities" after a Softmax, "logits" otherwise
};

int run_export(const ExportSettings& s) {
  LoadedModel loaded = load_model(s.model);
  OnnxExportOptions options;
  options.input_name = s.input_name;
  options.output_name = s.output_name;
  // The model file's own description travels along (the spec, the input shape, the classes,
  // the data and how table columns were encoded).
  options.metadata = loaded.metadata;
  const OnnxExport written = export_onnx(loaded.model, s.onnx, options);
  std::printf("model %s: %s\n", s.model.c_str(), loaded.model.spec().c_str());
  std::printf("wrote %s: ONNX opset %lld, %lld nodes, %lld initializers, %lld bytes\n", written.path.c_str(),
              static_cast<long long>(written.opset), static_cast<long long>(written.nodes),
              static_cast<long long>(written.initializers), static_cast<long long>(written.bytes));
  std::printf("input '%s': float32 batch x %s; output '%s': float32 batch x %s\n", written.input_name.c_str(),
              loaded.model.input_shape().spec().c_str(), written.output_name.c_str(),
              loaded.model.output_shape().spec().c_str());
  return 0;
}

}  // namespace

Run add_export(CLI::App& app) {
  auto s = std::make_shared<ExportSettings>();
  app.add_option("--onnx", s->onnx, "The ONNX file to write (opset 17; replaced whole or not at all)")
      ->required()
      ->type_name("OUT.onnx");
  app.add_option("--model", s->model, "A model saved by nnlab train (safetensors)")->required()->type_name("MODEL");
  app.add_option("--input-name", s->input_name, "The name of the graph's input")->capture_default_str();
  app.add_option("--output-name", s->output_name,
                 "The name of the graph's output (default: probabilities for a model that ends in softmax, logits "
                 "otherwise)");
  app.footer(
      "Exports every layer nnlab has, as it runs in eval mode: linear (Gemm), conv (Conv), maxpool (MaxPool), "
      "avgpool (AveragePool), gap (GlobalAveragePool), batchnorm (BatchNormalization with the running statistics), "
      "layernorm (LayerNormalization), relu, sigmoid, tanh, softmax, step (Greater + Cast), flatten, and res(...) "
      "blocks (their body, the projection shortcut if any, Add); dropout and identity need no node.\n"
      "The input is float32 with a dynamic batch dimension (\"batch\") and one sample's shape after it (1x28x28 for "
      "MNIST models: pixels in [0, 1], as nnlab reads them); models of CSV tables take the standardised, one-hot "
      "encoded features (the encoding is kept in the file's metadata, nnlab.data).\n"
      "The weights keep the model file's names (0.weight, 3.body.0.running_mean).\n"
      "Run it in Python:\n"
      "  import onnxruntime, numpy\n"
      "  session = onnxruntime.InferenceSession(\"model.onnx\")\n"
      "  logits = session.run(None, {\"input\": images.astype(numpy.float32)})[0]\n");
  return [s] { return run_export(*s); };
}

}  // namespace nnlab::cli
