#pragma once
// The ONNX nodes of each nnlab module (export/onnx.h lists them). Private to src/export.

#include <string>

#include "nnlab/model/module.h"
#include "onnx_graph.h"

namespace nnlab::onnx_export {

// A value of the graph: its name and the shape of one sample of it (the batch left out).
struct OnnxValue {
  std::string name;
  Shape sample;
};

// Adds the nodes that compute `module` (at dotted path `path`, "" for the model itself) on
// `input` and returns its output. Throws std::runtime_error naming the path and the type of a
// module it cannot export.
OnnxValue export_module(OnnxGraph& graph, Module<float>& module, const std::string& path, const OnnxValue& input);

}  // namespace nnlab::onnx_export
