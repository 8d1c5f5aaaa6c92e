#include "onnx_graph.h"

#include <cstring>
#include <stdexcept>

namespace nnlab::onnx_export {

onnx::AttributeProto attribute_int(const std::string& name, int64_t value) {
  onnx::AttributeProto a;
  a.set_name(name);
  a.set_type(onnx::AttributeProto::INT);
  a.set_i(value);
  return a;
}

onnx::AttributeProto attribute_ints(const std::string& name, const std::vector<int64_t>& values) {
  onnx::AttributeProto a;
  a.set_name(name);
  a.set_type(onnx::AttributeProto::INTS);
  for (const int64_t v : values) a.add_ints(v);
  return a;
}

onnx::AttributeProto attribute_float(const std::string& name, float value) {
  onnx::AttributeProto a;
  a.set_name(name);
  a.set_type(onnx::AttributeProto::FLOAT);
  a.set_f(value);
  return a;
}

std::string OnnxGraph::unique(const std::string& name) {
  std::string candidate = name;
  for (int n = 2; names_.count(candidate) > 0; ++n) candidate = name + "_" + std::to_string(n);
  names_.insert(candidate);
  return candidate;
}

std::string OnnxGraph::initializer(const std::string& name, const Shape& shape, const float* values) {
  onnx::TensorProto* t = graph_.add_initializer();
  t->set_name(unique(name));
  t->set_data_type(onnx::TensorProto::FLOAT);
  for (int64_t d = 0; d < shape.rank(); ++d) t->add_dims(shape[d]);
  // raw_data is little-endian, as float32 is in memory on x86-64 and ARM.
  static_assert(sizeof(float) == 4);
  t->set_raw_data(std::string(reinterpret_cast<const char*>(values), static_cast<size_t>(shape.numel()) * 4));
  return t->name();
}

std::string OnnxGraph::initializer_int64(const std::string& name, const std::vector<int64_t>& values) {
  onnx::TensorProto* t = graph_.add_initializer();
  t->set_name(unique(name));
  t->set_data_type(onnx::TensorProto::INT64);
  t->add_dims(static_cast<int64_t>(values.size()));
  for (const int64_t v : values) t->add_int64_data(v);
  return t->name();
}

std::string OnnxGraph::node(const std::string& path, const std::string& op_type, const std::vector<std::string>& inputs,
                            const std::vector<onnx::AttributeProto>& attributes) {
  onnx::NodeProto* n = graph_.add_node();
  const std::string name = unique((path.empty() ? std::string("model") : path) + "/" + op_type);
  n->set_name(name);
  n->set_op_type(op_type);
  for (const std::string& input : inputs) n->add_input(input);
  n->add_output(name);
  for (const onnx::AttributeProto& a : attributes) *n->add_attribute() = a;
  return name;
}

bool OnnxGraph::rename_value(const std::string& from, const std::string& to) {
  bool made = false;
  for (onnx::NodeProto& n : *graph_.mutable_node()) {
    for (std::string& output : *n.mutable_output()) {
      if (output == from) output = to, made = true;
    }
    for (std::string& input : *n.mutable_input()) {
      if (input == from) input = to;
    }
  }
  return made;
}

}  // namespace nnlab::onnx_export
