// The graphs export_onnx writes, read back as ONNX's ModelProto: one small model per layer kind,
// its nodes, their attributes, and the initialisers' shapes and values.

#include <gtest/gtest.h>
#include <onnx/checker.h>
#include <onnx/onnx_pb.h>

#include <cstring>
#include <string>
#include <vector>

#include "nnlab/export/onnx.h"
#include "nnlab/layers/batchnorm.h"
#include "nnlab/layers/linear.h"
#include "nnlab/model/model_spec.h"
#include "nnlab/model/residual.h"

namespace nnlab {
namespace {

// The model as export_onnx writes it, parsed back, after ONNX's checker has accepted it.
onnx::ModelProto exported_proto(Module<float>& model, const Shape& input_sample,
                                const OnnxExportOptions& options = {}) {
  onnx::ModelProto proto;
  EXPECT_TRUE(proto.ParseFromString(onnx_model_bytes(model, input_sample, options)));
  onnx::checker::check_model(proto);
  return proto;
}

// A model of the spec with weights drawn from a seeded generator.
Sequential<float> seeded_model(const std::string& spec, const Shape& input_sample) {
  Sequential<float> model = build_model<float>(spec, input_sample);
  Rng rng(7);
  model.initialize(Initializer::normal(0.5), rng);
  return model;
}

std::vector<std::string> op_types(const onnx::ModelProto& proto) {
  std::vector<std::string> ops;
  for (const onnx::NodeProto& n : proto.graph().node()) ops.push_back(n.op_type());
  return ops;
}

const onnx::NodeProto& node_of(const onnx::ModelProto& proto, const std::string& op_type) {
  for (const onnx::NodeProto& n : proto.graph().node()) {
    if (n.op_type() == op_type) return n;
  }
  throw std::runtime_error("no " + op_type + " node");
}

const onnx::AttributeProto& attribute_of(const onnx::NodeProto& node, const std::string& name) {
  for (const onnx::AttributeProto& a : node.attribute()) {
    if (a.name() == name) return a;
  }
  throw std::runtime_error(node.name() + " has no attribute " + name);
}

std::vector<int64_t> ints_of(const onnx::NodeProto& node, const std::string& name) {
  const auto& ints = attribute_of(node, name).ints();
  return {ints.begin(), ints.end()};
}

std::vector<std::string> inputs_of(const onnx::NodeProto& node) { return {node.input().begin(), node.input().end()}; }

const onnx::TensorProto& initializer_of(const onnx::ModelProto& proto, const std::string& name) {
  for (const onnx::TensorProto& t : proto.graph().initializer()) {
    if (t.name() == name) return t;
  }
  throw std::runtime_error("no initializer " + name);
}

std::vector<int64_t> dims_of(const onnx::TensorProto& t) { return {t.dims().begin(), t.dims().end()}; }

std::vector<float> floats_of(const onnx::TensorProto& t) {
  EXPECT_EQ(t.data_type(), onnx::TensorProto::FLOAT);
  std::vector<float> values(t.raw_data().size() / 4);
  std::memcpy(values.data(), t.raw_data().data(), values.size() * 4);
  return values;
}

std::vector<float> values_of(const Tensor<float>& t) { return {t.begin(), t.end()}; }

TEST(OnnxGraph, ModelHeaderOpsetInputAndOutput) {
  Sequential<float> model = seeded_model("linear:3", Shape{4});
  const onnx::ModelProto proto = exported_proto(model, Shape{4});
  EXPECT_EQ(proto.ir_version(), 8);  // ONNX 1.12's
  ASSERT_EQ(proto.opset_import_size(), 1);
  EXPECT_EQ(proto.opset_import(0).domain(), "");
  EXPECT_EQ(proto.opset_import(0).version(), 17);
  EXPECT_EQ(proto.producer_name(), "nnlab");
  EXPECT_FALSE(proto.producer_version().empty());
  ASSERT_EQ(proto.graph().input_size(), 1);
  const auto& input = proto.graph().input(0);
  EXPECT_EQ(input.name(), "input");
  EXPECT_EQ(input.type().tensor_type().elem_type(), onnx::TensorProto::FLOAT);
  const auto& in_shape = input.type().tensor_type().shape();
  ASSERT_EQ(in_shape.dim_size(), 2);
  EXPECT_EQ(in_shape.dim(0).dim_param(), "batch");
  EXPECT_EQ(in_shape.dim(1).dim_value(), 4);
  ASSERT_EQ(proto.graph().output_size(), 1);
  const auto& output = proto.graph().output(0);
  EXPECT_EQ(output.name(), "logits");
  EXPECT_EQ(output.type().tensor_type().shape().dim(0).dim_param(), "batch");
  EXPECT_EQ(output.type().tensor_type().shape().dim(1).dim_value(), 3);
  // The last node writes the graph's output.
  EXPECT_EQ(proto.graph().node(proto.graph().node_size() - 1).output(0), "logits");
}

TEST(OnnxGraph, LinearIsGemmWithTransposedWeight) {
  Sequential<float> model = seeded_model("linear:3,linear:2:bias=false", Shape{4});
  const onnx::ModelProto proto = exported_proto(model, Shape{4});
  EXPECT_EQ(op_types(proto), (std::vector<std::string>{"Gemm", "Gemm"}));
  const onnx::NodeProto& first = proto.graph().node(0);
  EXPECT_EQ(inputs_of(first), (std::vector<std::string>{"input", "0.weight", "0.bias"}));
  EXPECT_EQ(attribute_of(first, "transB").i(), 1);
  auto& linear = dynamic_cast<Linear<float>&>(model[0]);
  EXPECT_EQ(dims_of(initializer_of(proto, "0.weight")), (std::vector<int64_t>{3, 4}));
  EXPECT_EQ(floats_of(initializer_of(proto, "0.weight")), values_of(linear.weight()));
  EXPECT_EQ(floats_of(initializer_of(proto, "0.bias")), values_of(linear.bias()));
  // Without a bias: Gemm of two inputs.
  EXPECT_EQ(inputs_of(proto.graph().node(1)), (std::vector<std::string>{first.output(0), "1.weight"}));
}

TEST(OnnxGraph, LinearAfterImagesFlattensFirst) {
  Sequential<float> model = seeded_model("conv:2x3x3,linear:5", Shape{1, 6, 6});
  const onnx::ModelProto proto = exported_proto(model, Shape{1, 6, 6});
  EXPECT_EQ(op_types(proto), (std::vector<std::string>{"Conv", "Flatten", "Gemm"}));
  EXPECT_EQ(attribute_of(node_of(proto, "Flatten"), "axis").i(), 1);
  EXPECT_EQ(dims_of(initializer_of(proto, "1.weight")), (std::vector<int64_t>{5, 2 * 4 * 4}));
}

TEST(OnnxGraph, ConvKeepsKernelStridePadding) {
  Sequential<float> model = seeded_model("conv:4x3x2:stride=2:pad=1", Shape{3, 9, 9});
  const onnx::ModelProto proto = exported_proto(model, Shape{3, 9, 9});
  const onnx::NodeProto& conv = node_of(proto, "Conv");
  EXPECT_EQ(ints_of(conv, "kernel_shape"), (std::vector<int64_t>{3, 2}));
  EXPECT_EQ(ints_of(conv, "strides"), (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(ints_of(conv, "pads"), (std::vector<int64_t>{1, 1, 1, 1}));
  EXPECT_EQ(ints_of(conv, "dilations"), (std::vector<int64_t>{1, 1}));
  EXPECT_EQ(attribute_of(conv, "group").i(), 1);
  EXPECT_EQ(dims_of(initializer_of(proto, "0.weight")), (std::vector<int64_t>{4, 3, 3, 2}));
  EXPECT_EQ(dims_of(initializer_of(proto, "0.bias")), (std::vector<int64_t>{4}));
  // (9 + 2 − 3)/2 + 1 = 5 rows, (9 + 2 − 2)/2 + 1 = 5 columns.
  const auto& out = proto.graph().output(0).type().tensor_type().shape();
  ASSERT_EQ(out.dim_size(), 4);
  EXPECT_EQ(out.dim(1).dim_value(), 4);
  EXPECT_EQ(out.dim(2).dim_value(), 5);
  EXPECT_EQ(out.dim(3).dim_value(), 5);
}

TEST(OnnxGraph, PoolsAndGlobalAveragePool) {
  Sequential<float> model = seeded_model("maxpool:2,avgpool:3:stride=2:pad=1,gap", Shape{2, 12, 12});
  const onnx::ModelProto proto = exported_proto(model, Shape{2, 12, 12});
  EXPECT_EQ(op_types(proto), (std::vector<std::string>{"MaxPool", "AveragePool", "GlobalAveragePool", "Flatten"}));
  const onnx::NodeProto& max = node_of(proto, "MaxPool");
  EXPECT_EQ(ints_of(max, "kernel_shape"), (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(ints_of(max, "strides"), (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(ints_of(max, "pads"), (std::vector<int64_t>{0, 0, 0, 0}));
  const onnx::NodeProto& avg = node_of(proto, "AveragePool");
  EXPECT_EQ(ints_of(avg, "kernel_shape"), (std::vector<int64_t>{3, 3}));
  EXPECT_EQ(ints_of(avg, "strides"), (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(ints_of(avg, "pads"), (std::vector<int64_t>{1, 1, 1, 1}));
  // nnlab divides by K² whatever the padding.
  EXPECT_EQ(attribute_of(avg, "count_include_pad").i(), 1);
  // GlobalAvgPool gives N×C: the graph's output is rank 2.
  EXPECT_EQ(proto.graph().output(0).type().tensor_type().shape().dim_size(), 2);
}

TEST(OnnxGraph, BatchNormUsesRunningStatistics) {
  for (const Shape& sample : {Shape{3}, Shape{3, 4, 4}}) {
    Sequential<float> model = seeded_model("batchnorm:eps=0.001", sample);
    auto& bn = dynamic_cast<BatchNorm<float>&>(model[0]);
    for (int64_t c = 0; c < 3; ++c) {
      bn.gamma()[c] = 1.5f + static_cast<float>(c);
      bn.beta()[c] = -0.25f * static_cast<float>(c);
      bn.running_mean()[c] = 0.1f * static_cast<float>(c + 1);
      bn.running_var()[c] = 2.0f + static_cast<float>(c);
    }
    const onnx::ModelProto proto = exported_proto(model, sample);
    const onnx::NodeProto& node = node_of(proto, "BatchNormalization");
    EXPECT_EQ(inputs_of(node),
              (std::vector<std::string>{"input", "0.weight", "0.bias", "0.running_mean", "0.running_var"}));
    EXPECT_FLOAT_EQ(attribute_of(node, "epsilon").f(), 0.001f);
    EXPECT_EQ(floats_of(initializer_of(proto, "0.weight")), values_of(bn.gamma()));
    EXPECT_EQ(floats_of(initializer_of(proto, "0.bias")), values_of(bn.beta()));
    EXPECT_EQ(floats_of(initializer_of(proto, "0.running_mean")), values_of(bn.running_mean()));
    EXPECT_EQ(floats_of(initializer_of(proto, "0.running_var")), values_of(bn.running_var()));
    EXPECT_EQ(dims_of(initializer_of(proto, "0.running_var")), (std::vector<int64_t>{3}));
  }
}

TEST(OnnxGraph, LayerNormOverTheWholeSample) {
  Sequential<float> model = seeded_model("layernorm:eps=0.0001", Shape{2, 3, 3});
  const onnx::ModelProto proto = exported_proto(model, Shape{2, 3, 3});
  const onnx::NodeProto& node = node_of(proto, "LayerNormalization");
  EXPECT_EQ(attribute_of(node, "axis").i(), 1);
  EXPECT_FLOAT_EQ(attribute_of(node, "epsilon").f(), 0.0001f);
  EXPECT_EQ(dims_of(initializer_of(proto, "0.weight")), (std::vector<int64_t>{2, 3, 3}));
  EXPECT_EQ(dims_of(initializer_of(proto, "0.bias")), (std::vector<int64_t>{2, 3, 3}));
}

TEST(OnnxGraph, Activations) {
  Sequential<float> model = seeded_model("relu,sigmoid,tanh,step,flatten,softmax", Shape{5});
  const onnx::ModelProto proto = exported_proto(model, Shape{5});
  EXPECT_EQ(op_types(proto),
            (std::vector<std::string>{"Relu", "Sigmoid", "Tanh", "Greater", "Cast", "Flatten", "Softmax"}));
  EXPECT_EQ(attribute_of(node_of(proto, "Softmax"), "axis").i(), 1);
  // Step: x > 0, cast to float (1.0 or 0.0).
  const onnx::TensorProto& threshold = initializer_of(proto, node_of(proto, "Greater").input(1));
  EXPECT_EQ(threshold.dims_size(), 0);
  EXPECT_EQ(floats_of(threshold), (std::vector<float>{0.0f}));
  EXPECT_EQ(attribute_of(node_of(proto, "Cast"), "to").i(), onnx::TensorProto::FLOAT);
  // A model that ends in Softmax gives probabilities.
  EXPECT_EQ(proto.graph().output(0).name(), "probabilities");
}

TEST(OnnxGraph, SoftmaxOfImagesRunsOverTheWholeSample) {
  Sequential<float> model = seeded_model("softmax", Shape{2, 3, 3});
  const onnx::ModelProto proto = exported_proto(model, Shape{2, 3, 3});
  EXPECT_EQ(op_types(proto), (std::vector<std::string>{"Flatten", "Softmax", "Reshape"}));
  const onnx::TensorProto& shape = initializer_of(proto, node_of(proto, "Reshape").input(1));
  EXPECT_EQ(std::vector<int64_t>(shape.int64_data().begin(), shape.int64_data().end()),
            (std::vector<int64_t>{0, 2, 3, 3}));
}

TEST(OnnxGraph, DropoutAndIdentityAddNoNode) {
  Sequential<float> model = seeded_model("linear:3,dropout:0.5,identity,relu,dropout:0.2", Shape{4});
  const onnx::ModelProto proto = exported_proto(model, Shape{4});
  EXPECT_EQ(op_types(proto), (std::vector<std::string>{"Gemm", "Relu"}));
  EXPECT_EQ(proto.graph().node(1).output(0), "logits");
  // Nothing but the identity: one Identity node, as an output cannot be the input.
  Sequential<float> nothing = seeded_model("dropout:0.5", Shape{4});
  const onnx::ModelProto empty = exported_proto(nothing, Shape{4});
  EXPECT_EQ(op_types(empty), (std::vector<std::string>{"Identity"}));
  EXPECT_EQ(inputs_of(empty.graph().node(0)), (std::vector<std::string>{"input"}));
}

TEST(OnnxGraph, ResidualIdentityShortcutAdds) {
  Sequential<float> model = seeded_model("res(conv:2x3x3:pad=1,batchnorm,relu),relu", Shape{2, 5, 5});
  const onnx::ModelProto proto = exported_proto(model, Shape{2, 5, 5});
  EXPECT_EQ(op_types(proto), (std::vector<std::string>{"Conv", "BatchNormalization", "Relu", "Add", "Relu"}));
  const onnx::NodeProto& add = node_of(proto, "Add");
  EXPECT_EQ(inputs_of(add), (std::vector<std::string>{node_of(proto, "Relu").output(0), "input"}));
  EXPECT_NO_THROW(initializer_of(proto, "0.body.0.weight"));
  EXPECT_NO_THROW(initializer_of(proto, "0.body.1.running_mean"));
}

TEST(OnnxGraph, ResidualProjectionShortcut) {
  // Images: a 1×1 convolution with the body's stride; features: a Linear.
  Sequential<float> images = seeded_model("res(conv:4x3x3:stride=2:pad=1)", Shape{2, 6, 6});
  const onnx::ModelProto proto = exported_proto(images, Shape{2, 6, 6});
  EXPECT_EQ(op_types(proto), (std::vector<std::string>{"Conv", "Conv", "Add"}));
  const onnx::NodeProto& shortcut = proto.graph().node(1);
  EXPECT_EQ(inputs_of(shortcut), (std::vector<std::string>{"input", "0.shortcut.weight", "0.shortcut.bias"}));
  EXPECT_EQ(ints_of(shortcut, "kernel_shape"), (std::vector<int64_t>{1, 1}));
  EXPECT_EQ(ints_of(shortcut, "strides"), (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(dims_of(initializer_of(proto, "0.shortcut.weight")), (std::vector<int64_t>{4, 2, 1, 1}));

  Sequential<float> features = seeded_model("res(linear:6,relu)", Shape{3});
  const onnx::ModelProto dense = exported_proto(features, Shape{3});
  EXPECT_EQ(op_types(dense), (std::vector<std::string>{"Gemm", "Relu", "Gemm", "Add"}));
  EXPECT_EQ(dims_of(initializer_of(dense, "0.shortcut.weight")), (std::vector<int64_t>{6, 3}));
}

TEST(OnnxGraph, NamesAndMetadataFromOptions) {
  Sequential<float> model = seeded_model("linear:2", Shape{3});
  OnnxExportOptions options;
  options.input_name = "features";
  options.output_name = "scores";
  options.batch_dimension = "n";
  options.metadata = {{"nnlab.model", "linear:2"}};
  const onnx::ModelProto proto = exported_proto(model, Shape{3}, options);
  EXPECT_EQ(proto.graph().input(0).name(), "features");
  EXPECT_EQ(proto.graph().input(0).type().tensor_type().shape().dim(0).dim_param(), "n");
  EXPECT_EQ(proto.graph().output(0).name(), "scores");
  ASSERT_EQ(proto.metadata_props_size(), 1);
  EXPECT_EQ(proto.metadata_props(0).key(), "nnlab.model");
  EXPECT_EQ(proto.metadata_props(0).value(), "linear:2");
  options.output_name = "features";
  EXPECT_THROW(onnx_model_bytes(model, Shape{3}, options), std::invalid_argument);
}

TEST(OnnxGraph, AModuleOfItsOwnExportsAtTheTop) {
  // A Residual given as the model itself: its tensors are named from the top, "body.0.weight".
  Sequential<float> body = seeded_model("linear:3,tanh", Shape{3});
  Residual<float> block(std::move(body));
  const onnx::ModelProto proto = exported_proto(block, Shape{3});
  EXPECT_EQ(op_types(proto), (std::vector<std::string>{"Gemm", "Tanh", "Add"}));
  EXPECT_NO_THROW(initializer_of(proto, "body.0.weight"));
}

}  // namespace
}  // namespace nnlab
