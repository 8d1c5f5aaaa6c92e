#pragma once
// OnnxGraph: the nodes and initialisers of an ONNX graph as the exporter adds them, over
// ONNX's own GraphProto (Debian's libonnx-dev). Private to src/export.
//
//   OnnxGraph graph(proto);
//   const std::string w = graph.initializer("0.weight", Shape{10, 784}, weight.data());
//   const std::string y = graph.node("0", "Gemm", {x, w, b}, {attribute_int("transB", 1)});
//
// Every value a node makes gets a name of its own ("0/Gemm", "0/Gemm_2" for a second Gemm of
// the same layer), so layers that need two nodes (Flatten + Gemm) never clash.

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "nnlab/tensor/shape.h"

namespace nnlab::onnx_export {

onnx::AttributeProto attribute_int(const std::string& name, int64_t value);
onnx::AttributeProto attribute_ints(const std::string& name, const std::vector<int64_t>& values);
onnx::AttributeProto attribute_float(const std::string& name, float value);

class OnnxGraph {
 public:
  explicit OnnxGraph(onnx::GraphProto& graph) : graph_(graph) {}

  // A float32 initialiser of this shape holding shape.numel() values from `values`; returns its name.
  std::string initializer(const std::string& name, const Shape& shape, const float* values);
  // An int64 initialiser (Reshape's target shape); returns its name.
  std::string initializer_int64(const std::string& name, const std::vector<int64_t>& values);
  // A node of layer `path` (its dotted path, "" for the model itself) running `op_type` on
  // `inputs`; returns the name of its one output.
  std::string node(const std::string& path, const std::string& op_type, const std::vector<std::string>& inputs,
                   const std::vector<onnx::AttributeProto>& attributes = {});
  // Renames the value `from` to `to` in the node that makes it and every node that reads it;
  // false when no node makes it (a graph input or an initialiser).
  bool rename_value(const std::string& from, const std::string& to);

  // Keeps `name` (the graph's input and output) from being given to any other value.
  void reserve(const std::string& name) { names_.insert(name); }

  int64_t node_count() const { return graph_.node_size(); }

 private:
  std::string unique(const std::string& name);

  onnx::GraphProto& graph_;
  std::set<std::string> names_;
};

}  // namespace nnlab::onnx_export
