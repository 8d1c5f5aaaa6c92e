#pragma once
// Models saved as safetensors files that PyTorch users can load as they are:
//
//   save_model(model, "mnist.safetensors", {{"nnlab.loss", "softmax-cross-entropy"}});
//   LoadedModel loaded = load_model("mnist.safetensors");
//   loaded.model.forward(x);
//
// Tensors are the model's parameters and buffers under their nn.Sequential
// names ("0.weight", "0.bias", "1.running_mean", ...), stored as F32, and the
// integer buffers (BatchNorm's "1.num_batches_tracked") as I64 scalars, so in Python
//   model.load_state_dict(safetensors.torch.load_file("mnist.safetensors"))
// works for the same architecture, strict=True included.
// The metadata says how to rebuild the model:
//   nnlab.format_version  "1"
//   nnlab.model           the spec, e.g. "linear:100,relu,linear:10"
//   nnlab.input_shape     one sample's shape, e.g. "1x28x28"
// plus any extras the caller adds (nnlab.loss, nnlab.classes, nnlab.trained_with).

#include <map>
#include <string>

#include "nnlab/model/module_registry.h"
#include "nnlab/model/sequential.h"

namespace nnlab {

// The format version this nnlab writes and reads.
inline constexpr const char* kModelFormatVersion = "1";

// Writes the model atomically (whole or not at all). extra_metadata may not
// override the three nnlab keys above (std::invalid_argument).
// Throws std::runtime_error naming the path when the file cannot be written.
void save_model(Sequential<float>& model, const std::string& path,
                const std::map<std::string, std::string>& extra_metadata = {});
// The same for any Module (a Residual block, a module type of your own registered in a
// ModuleRegistry), which takes samples of shape input_sample. The file holds it as the spec
// grammar does, as the one module of a Sequential: its tensors are named "0.<name>", and
// load_model gives back that Sequential.
void save_model(Module<float>& model, const Shape& input_sample, const std::string& path,
                const std::map<std::string, std::string>& extra_metadata = {});

struct LoadedModel {
  Sequential<float> model;
  // Every metadata entry in the file, the nnlab keys included.
  std::map<std::string, std::string> metadata;
};

// Rebuilds the model from its metadata and copies in every parameter and buffer
// (F32, or F64 converted to float). The model is returned in eval mode.
// Files from older nnlab versions load too: BatchNorm's and LayerNorm's weight
// and bias may be named gamma and beta, and num_batches_tracked may be missing
// (it is then 0).
// Throws std::runtime_error naming the path and the problem: a file that is not
// safetensors, not an nnlab model, or whose tensors do not fit the model
// (missing, unknown, or of the wrong shape).
// Every weight and buffer must be finite (a file with NaN or infinite values is refused,
// naming the tensor).
LoadedModel load_model(const std::string& path);
// The same for models with module types of your own (module_registry.h).
LoadedModel load_model(const std::string& path, const ModuleRegistry<float>& registry);

}  // namespace nnlab
