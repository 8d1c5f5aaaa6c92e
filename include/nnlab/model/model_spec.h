#pragma once
// Models from text. The grammar (docs/model-spec.md):
//
//   spec    := layer ("," layer)*
//   layer   := name (":" arg)*
//   arg     := value | key "=" value
//
//   linear:OUT[:bias=false]      Linear with OUT outputs; its input size is inferred
//   any layer with weights also takes init=NAME (an Initializer name): a per-layer initialiser
//   relu | sigmoid | tanh | identity | step | softmax
//   conv:OUTxKHxKW[:stride=S][:pad=P][:bias=false]   Conv2d (conv:OUTxK: square kernel); input C×H×W
//   maxpool:K[:stride=S][:pad=P] | avgpool:K[:stride=S][:pad=P]   pooling; the stride defaults to K
//   gap | flatten                GlobalAvgPool (C×H×W → C), Flatten (C×H×W → C·H·W)
//
// e.g. "linear:256,relu,linear:128,relu,linear:10". Every layer's input shape is
// inferred from the one before it, starting at the model's input shape.

#include <cstdint>
#include <string>
#include <vector>

#include "nnlab/model/module_registry.h"
#include "nnlab/model/sequential.h"

namespace nnlab {

// How much a model built from text may hold, checked layer by layer before any
// layer allocates (a spec comes from the command line or from a file).
struct BuildLimits {
  // Parameters and floating-point buffers over the whole model.
  int64_t max_values = 0;
  // Said when the limit is exceeded, e.g. "the file holds 650 values".
  std::string reason;
  // As many values as a quarter of the machine's memory holds (weights, gradients, optimizer state).
  static BuildLimits for_memory(size_t element_size);
};

// Builds the model from a spec or a preset name ("simple-cnn"); throws
// std::invalid_argument naming the bad part of the spec, a size that overflows,
// or a layer beyond the limits (by default: BuildLimits::for_memory).
// Weights are left unset (zero): call initialize().
template <typename T>
Sequential<T> build_model(const std::string& spec, const Shape& input_sample);
template <typename T>
Sequential<T> build_model(const std::string& spec, const Shape& input_sample, const BuildLimits& limits);
// The same, where tokens may also name the registry's own module types.
template <typename T>
Sequential<T> build_model(const std::string& spec, const Shape& input_sample, const ModuleRegistry<T>& registry);
template <typename T>
Sequential<T> build_model(const std::string& spec, const Shape& input_sample, const ModuleRegistry<T>& registry,
                          const BuildLimits& limits);

// The built-in layer and block names ("avgpool", ..., "res"), which a registry cannot take.
std::vector<std::string> layer_names();

// One layer from one spec token, for the given input sample shape.
template <typename T>
ModulePtr<T> make_layer(const std::string& token, const Shape& input_sample);

// "linear:H1,ACT,linear:H2,ACT,...,linear:OUTPUTS": a multilayer perceptron.
std::string mlp_spec(const std::vector<int64_t>& hidden, const std::string& activation, int64_t outputs);

// Named models: "simple-cnn" (the textbook's SimpleConvNet) and "deep-cnn" (its DeepConvNet),
// both for 1×28×28 images. preset_spec throws std::invalid_argument listing the known names.
std::string preset_spec(const std::string& name);
bool is_preset(const std::string& name);
// "deep-cnn, resnet, simple-cnn"
std::string preset_names();

// The activation names the grammar knows.
const std::vector<std::string>& activation_names();

}  // namespace nnlab
