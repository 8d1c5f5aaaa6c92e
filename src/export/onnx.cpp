#include "nnlab/export/onnx.h"

#include <onnx/checker.h>
#include <onnx/onnx_pb.h>

#include <limits>
#include <stdexcept>

#include "nnlab/io/atomic_file.h"
#include "onnx_graph.h"
#include "onnx_layers.h"

#ifndef NNLAB_VERSION
#define NNLAB_VERSION "unknown"
#endif

namespace nnlab {

namespace {

// A float32 tensor of shape batch × sample, the batch dimension named (dynamic).
void describe_value(onnx::ValueInfoProto& value, const std::string& name, const std::string& batch,
                    const Shape& sample) {
  value.set_name(name);
  onnx::TypeProto_Tensor* tensor = value.mutable_type()->mutable_tensor_type();
  tensor->set_elem_type(onnx::TensorProto::FLOAT);
  onnx::TensorShapeProto* shape = tensor->mutable_shape();
  shape->add_dim()->set_dim_param(batch);
  for (int d = 0; d < sample.rank(); ++d) shape->add_dim()->set_dim_value(sample[d]);
}

// Whether the last layer the model runs is a Softmax (a Sequential's last, recursively).
bool ends_in_softmax(Module<float>& model) {
  if (model.type() == "Softmax") return true;
  if (auto* sequential = dynamic_cast<Sequential<float>*>(&model)) {
    for (size_t i = sequential->size(); i-- > 0;) {
      const std::string type = (*sequential)[i].type();
      if (type == "Dropout" || type == "Identity") continue;  // no node in the graph
      return ends_in_softmax((*sequential)[i]);
    }
  }
  return false;
}

onnx::ModelProto build_model_proto(Module<float>& model, const Shape& input_sample, const OnnxExportOptions& options) {
  if (options.input_name.empty() || options.batch_dimension.empty()) {
    throw std::invalid_argument("ONNX export needs a name for the input and for its batch dimension");
  }
  const std::string output_name =
      !options.output_name.empty() ? options.output_name : (ends_in_softmax(model) ? "probabilities" : "logits");
  if (output_name == options.input_name) {
    throw std::invalid_argument("ONNX export: the input and the output are both named '" + output_name + "'");
  }

  onnx::ModelProto proto;
  // The IR version of the ONNX release whose checker nnlab runs (1.12: IR 8), opset 17.
  proto.set_ir_version(onnx::IR_VERSION);
  proto.set_producer_name("nnlab");
  proto.set_producer_version(NNLAB_VERSION);
  proto.set_doc_string("nnlab model " + model.spec() + " for samples " + input_sample.spec());
  onnx::OperatorSetIdProto* opset = proto.add_opset_import();
  opset->set_domain("");
  opset->set_version(kOnnxOpset);
  for (const auto& [key, value] : options.metadata) {
    onnx::StringStringEntryProto* entry = proto.add_metadata_props();
    entry->set_key(key);
    entry->set_value(value);
  }

  onnx::GraphProto* graph = proto.mutable_graph();
  graph->set_name("nnlab");
  onnx_export::OnnxGraph builder(*graph);
  builder.reserve(options.input_name);
  builder.reserve(output_name);
  const onnx_export::OnnxValue out =
      onnx_export::export_module(builder, model, "", onnx_export::OnnxValue{options.input_name, input_sample});
  // The last node's output takes the output's name; a model of no nodes (Identity, Dropout
  // only) gets one Identity node, as a graph's output cannot be its input.
  if (!builder.rename_value(out.name, output_name)) {
    const std::string copied = builder.node("", "Identity", {out.name});
    builder.rename_value(copied, output_name);
  }
  describe_value(*graph->add_input(), options.input_name, options.batch_dimension, input_sample);
  describe_value(*graph->add_output(), output_name, options.batch_dimension, out.sample);

  // ONNX's own checker: a file it refuses is never written (a bug in the exporter, not in the model).
  try {
    onnx::checker::check_model(proto);
  } catch (const std::exception& e) {
    throw std::logic_error(std::string("the exported ONNX graph fails ONNX's checker: ") + e.what());
  }
  return proto;
}

// The bytes of the file; `where` says what they were for in the message when they cannot be made.
std::string serialized(const onnx::ModelProto& proto, const std::string& where) {
  // protobuf refuses messages of 2 GiB or more.
  if (proto.ByteSizeLong() >= static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
    throw std::runtime_error(where + "the model's " + std::to_string(proto.ByteSizeLong()) +
                             " bytes are more than an ONNX file holds without external data (2 GiB)");
  }
  std::string bytes;
  if (!proto.SerializeToString(&bytes)) throw std::runtime_error(where + "protobuf could not serialise the model");
  return bytes;
}

}  // namespace

std::string onnx_model_bytes(Module<float>& model, const Shape& input_sample, const OnnxExportOptions& options) {
  return serialized(build_model_proto(model, input_sample, options), "ONNX export: ");
}

OnnxExport export_onnx(Module<float>& model, const Shape& input_sample, const std::string& path,
                       const OnnxExportOptions& options) {
  const onnx::ModelProto proto = build_model_proto(model, input_sample, options);
  const std::string bytes = serialized(proto, "cannot write " + path + ": ");
  write_file_atomic(path, bytes);
  OnnxExport written;
  written.path = path;
  written.nodes = proto.graph().node_size();
  written.initializers = proto.graph().initializer_size();
  written.opset = kOnnxOpset;
  written.bytes = static_cast<int64_t>(bytes.size());
  written.input_name = proto.graph().input(0).name();
  written.output_name = proto.graph().output(0).name();
  return written;
}

OnnxExport export_onnx(Sequential<float>& model, const std::string& path, const OnnxExportOptions& options) {
  return export_onnx(model, model.input_shape(), path, options);
}

}  // namespace nnlab
