#pragma once
// ONNX export: a model as an ONNX file (opset 17) that onnxruntime, or any other runtime, runs
// as nnlab does in eval mode:
//
//   LoadedModel loaded = load_model("mnist.safetensors");
//   const OnnxExport written = export_onnx(loaded.model, "mnist.onnx");
//   // Python: onnxruntime.InferenceSession("mnist.onnx").run(None, {"input": x})[0]
//
// One node per layer (two where ONNX needs a reshape nnlab does implicitly):
//   Linear → Gemm (W is out×in: transB = 1; a Flatten first when the input is an image),
//   Conv2d → Conv, MaxPool2d → MaxPool, AvgPool2d → AveragePool (count_include_pad = 1),
//   GlobalAvgPool → GlobalAveragePool + Flatten, BatchNorm → BatchNormalization (the running
//   statistics), LayerNorm → LayerNormalization (axis 1: the whole sample), ReLU → Relu,
//   Sigmoid, Tanh, Softmax (over the whole sample, as nnlab's), Flatten, Step → Greater + Cast,
//   Residual → its body, its projection shortcut if it has one, and Add.
// Identity and Dropout (the identity in eval mode) give no node.
//
// The graph's input ("input", float32) has a dynamic first dimension, "batch", and one sample's
// shape after it; its output ("logits", or "probabilities" for a model that ends in Softmax)
// likewise. The weights are initialisers named as in the model file and in PyTorch
// ("0.weight", "3.body.0.running_mean"), stored as float32 raw data.
// The file is checked by ONNX's own checker before it is written, and written whole or not
// at all (io/atomic_file.h).

#include <cstdint>
#include <map>
#include <string>

#include "nnlab/model/sequential.h"

namespace nnlab {

struct OnnxExportOptions {
  // The names of the graph's input and output, and of its batch dimension. An empty output name
  // is chosen from the model: "probabilities" after a Softmax, "logits" otherwise.
  std::string input_name = "input";
  std::string output_name;
  std::string batch_dimension = "batch";
  // Saved in the file's metadata_props (the model file's nnlab.* entries, say).
  std::map<std::string, std::string> metadata;
};

// What export_onnx wrote.
struct OnnxExport {
  std::string path;
  int64_t nodes = 0;
  int64_t initializers = 0;
  int64_t opset = 0;
  int64_t bytes = 0;
  std::string input_name, output_name;
};

// The ONNX opset the files are written for.
inline constexpr int64_t kOnnxOpset = 17;

// The model, which takes samples of shape input_sample, as a serialised ONNX ModelProto.
// Throws std::runtime_error naming the layer (by its dotted path, e.g. "3.body.1") and its type
// for a layer ONNX export does not know, and std::invalid_argument for a model that does not
// take input_sample.
std::string onnx_model_bytes(Module<float>& model, const Shape& input_sample, const OnnxExportOptions& options = {});

// The same, written to `path`. Throws std::runtime_error naming the path when it cannot be
// written; the file is then left as it was (or absent).
OnnxExport export_onnx(Module<float>& model, const Shape& input_sample, const std::string& path,
                       const OnnxExportOptions& options = {});
// A Sequential knows its input shape.
OnnxExport export_onnx(Sequential<float>& model, const std::string& path, const OnnxExportOptions& options = {});

}  // namespace nnlab
