#include "onnx_layers.h"

#include <stdexcept>

#include "nnlab/layers/avg_pool2d.h"
#include "nnlab/layers/batchnorm.h"
#include "nnlab/layers/conv2d.h"
#include "nnlab/layers/dropout.h"
#include "nnlab/layers/flatten.h"
#include "nnlab/layers/global_avg_pool.h"
#include "nnlab/layers/identity.h"
#include "nnlab/layers/layernorm.h"
#include "nnlab/layers/linear.h"
#include "nnlab/layers/max_pool2d.h"
#include "nnlab/layers/relu.h"
#include "nnlab/layers/sigmoid.h"
#include "nnlab/layers/softmax.h"
#include "nnlab/layers/step.h"
#include "nnlab/layers/tanh.h"
#include "nnlab/model/residual.h"
#include "nnlab/model/sequential.h"

namespace nnlab::onnx_export {

namespace {

// "3.body" + "weight" → "3.body.weight"; the model's own "weight" at the top.
std::string tensor_name(const std::string& path, const std::string& name) {
  return path.empty() ? name : path + "." + name;
}

std::string child_path(const std::string& path, const std::string& child) {
  return path.empty() ? child : path + "." + child;
}

[[noreturn]] void refuse(const std::string& path, const Module<float>& module, const std::string& why) {
  throw std::runtime_error("cannot export layer " + (path.empty() ? std::string("(the model)") : path) + " (" +
                           module.type() + ") to ONNX: " + why);
}

std::string weight(OnnxGraph& graph, const std::string& path, const std::string& name, const Shape& shape,
                   Tensor<float>& tensor, const Module<float>& module) {
  if (tensor.size() != shape.numel()) {
    refuse(path, module,
           name + " holds " + std::to_string(tensor.size()) + " values where " + shape.str() + " needs " +
               std::to_string(shape.numel()));
  }
  return graph.initializer(tensor_name(path, name), shape, tensor.data());
}

// N×… → N×(product of …): what nnlab's Linear and Softmax read any input as.
OnnxValue flattened(OnnxGraph& graph, const std::string& path, const OnnxValue& x) {
  if (x.sample.rank() == 1) return x;
  return {graph.node(path, "Flatten", {x.name}, {attribute_int("axis", 1)}), Shape{x.sample.numel()}};
}

// The pads of a square window padded by p on every side: ONNX lists the starts, then the ends.
std::vector<int64_t> pads(int64_t p) { return {p, p, p, p}; }

OnnxValue linear(OnnxGraph& graph, Linear<float>& layer, const std::string& path, const OnnxValue& input) {
  const OnnxValue x = flattened(graph, path, input);
  // nnlab's W is out×in (PyTorch's layout): y = x·Wᵀ + b is Gemm with transB = 1.
  std::vector<std::string> inputs = {
      x.name, weight(graph, path, "weight", Shape{layer.out_features(), layer.in_features()}, layer.weight(), layer)};
  if (layer.has_bias()) inputs.push_back(weight(graph, path, "bias", Shape{layer.out_features()}, layer.bias(), layer));
  return {graph.node(path, "Gemm", inputs, {attribute_int("transB", 1)}), Shape{layer.out_features()}};
}

OnnxValue conv(OnnxGraph& graph, Conv2d<float>& layer, const std::string& path, const OnnxValue& x) {
  const Shape w{layer.out_channels(), layer.in_channels(), layer.kernel_h(), layer.kernel_w()};
  std::vector<std::string> inputs = {x.name, weight(graph, path, "weight", w, layer.weight(), layer)};
  if (layer.has_bias()) inputs.push_back(weight(graph, path, "bias", Shape{layer.out_channels()}, layer.bias(), layer));
  const std::vector<onnx::AttributeProto> attributes = {
      attribute_ints("kernel_shape", {layer.kernel_h(), layer.kernel_w()}),
      attribute_ints("strides", {layer.stride(), layer.stride()}), attribute_ints("pads", pads(layer.padding())),
      attribute_ints("dilations", {1, 1}), attribute_int("group", 1)};
  return {graph.node(path, "Conv", inputs, attributes), layer.output_shape(x.sample)};
}

OnnxValue pool(OnnxGraph& graph, Pool2d<float>& layer, const std::string& op_type, const std::string& path,
               const OnnxValue& x) {
  std::vector<onnx::AttributeProto> attributes = {attribute_ints("kernel_shape", {layer.kernel(), layer.kernel()}),
                                                  attribute_ints("strides", {layer.stride(), layer.stride()}),
                                                  attribute_ints("pads", pads(layer.padding()))};
  // nnlab's AvgPool2d divides every window by K², padding included (PyTorch's default).
  if (op_type == "AveragePool") attributes.push_back(attribute_int("count_include_pad", 1));
  return {graph.node(path, op_type, {x.name}, attributes), layer.output_shape(x.sample)};
}

OnnxValue batchnorm(OnnxGraph& graph, BatchNorm<float>& layer, const std::string& path, const OnnxValue& x) {
  // Eval mode: x̂ = (x − running_mean)/√(running_var + eps), over channel dimension 1 of N×C,
  // N×C×L or N×C×H×W, as ONNX's BatchNormalization (training_mode = 0) computes it.
  const Shape c{layer.num_features()};
  const std::vector<std::string> inputs = {x.name, weight(graph, path, "weight", c, layer.gamma(), layer),
                                           weight(graph, path, "bias", c, layer.beta(), layer),
                                           weight(graph, path, "running_mean", c, layer.running_mean(), layer),
                                           weight(graph, path, "running_var", c, layer.running_var(), layer)};
  return {graph.node(path, "BatchNormalization", inputs,
                     {attribute_float("epsilon", static_cast<float>(layer.eps())),
                      attribute_float("momentum", static_cast<float>(1.0 - layer.momentum()))}),
          layer.output_shape(x.sample)};
}

OnnxValue layernorm(OnnxGraph& graph, LayerNorm<float>& layer, const std::string& path, const OnnxValue& x) {
  // The whole sample is normalised together: axis 1, with γ and β of one sample's shape.
  const std::vector<std::string> inputs = {x.name, weight(graph, path, "weight", x.sample, layer.gamma(), layer),
                                           weight(graph, path, "bias", x.sample, layer.beta(), layer)};
  return {graph.node(path, "LayerNormalization", inputs,
                     {attribute_int("axis", 1), attribute_float("epsilon", static_cast<float>(layer.eps()))}),
          x.sample};
}

OnnxValue softmax(OnnxGraph& graph, const std::string& path, const OnnxValue& x) {
  // nnlab's Softmax runs over all of a sample's values; for image samples that is a softmax of
  // the flattened sample, shaped back.
  const OnnxValue flat = flattened(graph, path, x);
  const std::string y = graph.node(path, "Softmax", {flat.name}, {attribute_int("axis", 1)});
  if (x.sample.rank() == 1) return {y, x.sample};
  std::vector<int64_t> shape = {0};  // 0: the batch dimension as it is
  for (int d = 0; d < x.sample.rank(); ++d) shape.push_back(x.sample[d]);
  const std::string target = graph.initializer_int64(tensor_name(path, "shape"), shape);
  return {graph.node(path, "Reshape", {y, target}), x.sample};
}

OnnxValue step(OnnxGraph& graph, const std::string& path, const OnnxValue& x) {
  // y = 1 if x > 0, else 0 (NaN too): Greater gives the bool, Cast makes it 1.0 or 0.0.
  const float zero = 0.0f;
  const std::string threshold = graph.initializer(tensor_name(path, "threshold"), Shape{}, &zero);
  const std::string positive = graph.node(path, "Greater", {x.name, threshold});
  return {graph.node(path, "Cast", {positive}, {attribute_int("to", onnx::TensorProto::FLOAT)}), x.sample};
}

OnnxValue residual(OnnxGraph& graph, Residual<float>& block, const std::string& path, const OnnxValue& x) {
  // y = body(x) + shortcut(x), the shortcut being the identity or a projection (1×1 Conv2d, Linear).
  const OnnxValue main = export_module(graph, block.body(), child_path(path, "body"), x);
  const OnnxValue skip =
      block.shortcut() != nullptr ? export_module(graph, *block.shortcut(), child_path(path, "shortcut"), x) : x;
  if (main.sample != skip.sample) {
    refuse(path, block, "its body gives " + main.sample.str() + " and its shortcut " + skip.sample.str());
  }
  return {graph.node(path, "Add", {main.name, skip.name}), main.sample};
}

}  // namespace

OnnxValue export_module(OnnxGraph& graph, Module<float>& module, const std::string& path, const OnnxValue& x) {
  // The shape nnlab itself computes: throws std::invalid_argument for an input it cannot take.
  const Shape out = module.output_shape(x.sample);
  if (auto* sequential = dynamic_cast<Sequential<float>*>(&module)) {
    OnnxValue value = x;
    for (size_t i = 0; i < sequential->size(); ++i) {
      value = export_module(graph, (*sequential)[i], child_path(path, std::to_string(i)), value);
    }
    return value;
  }
  if (auto* block = dynamic_cast<Residual<float>*>(&module)) return residual(graph, *block, path, x);
  if (auto* layer = dynamic_cast<Linear<float>*>(&module)) return linear(graph, *layer, path, x);
  if (auto* layer = dynamic_cast<Conv2d<float>*>(&module)) return conv(graph, *layer, path, x);
  if (auto* layer = dynamic_cast<MaxPool2d<float>*>(&module)) return pool(graph, *layer, "MaxPool", path, x);
  if (auto* layer = dynamic_cast<AvgPool2d<float>*>(&module)) return pool(graph, *layer, "AveragePool", path, x);
  if (dynamic_cast<GlobalAvgPool<float>*>(&module) != nullptr) {
    // GlobalAveragePool keeps N×C×1×1; nnlab's layer gives N×C.
    const std::string pooled = graph.node(path, "GlobalAveragePool", {x.name});
    return {graph.node(path, "Flatten", {pooled}, {attribute_int("axis", 1)}), out};
  }
  if (auto* layer = dynamic_cast<BatchNorm<float>*>(&module)) return batchnorm(graph, *layer, path, x);
  if (auto* layer = dynamic_cast<LayerNorm<float>*>(&module)) return layernorm(graph, *layer, path, x);
  if (dynamic_cast<ReLU<float>*>(&module) != nullptr) return {graph.node(path, "Relu", {x.name}), out};
  if (dynamic_cast<Sigmoid<float>*>(&module) != nullptr) return {graph.node(path, "Sigmoid", {x.name}), out};
  if (dynamic_cast<Tanh<float>*>(&module) != nullptr) return {graph.node(path, "Tanh", {x.name}), out};
  if (dynamic_cast<Softmax<float>*>(&module) != nullptr) return softmax(graph, path, x);
  if (dynamic_cast<Step<float>*>(&module) != nullptr) return step(graph, path, x);
  if (dynamic_cast<Flatten<float>*>(&module) != nullptr) {
    return {graph.node(path, "Flatten", {x.name}, {attribute_int("axis", 1)}), out};
  }
  // The identity in eval mode, which is what an exported model runs in: no node.
  if (dynamic_cast<Identity<float>*>(&module) != nullptr || dynamic_cast<Dropout<float>*>(&module) != nullptr) {
    return {x.name, out};
  }
  refuse(path, module,
         "ONNX export knows Linear, Conv2d, MaxPool2d, AvgPool2d, GlobalAvgPool, BatchNorm, "
         "LayerNorm, ReLU, Sigmoid, Tanh, Softmax, Step, Flatten, Identity, Dropout, Sequential and "
         "Residual");
}

}  // namespace nnlab::onnx_export
