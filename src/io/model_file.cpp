#include "nnlab/io/model_file.h"

#include <algorithm>
#include <stdexcept>
#include <utility>
#include <vector>

#include "nnlab/io/finite_check.h"
#include "nnlab/io/safetensors.h"
#include "nnlab/model/model_spec.h"

namespace nnlab {

namespace {

constexpr const char* kVersionKey = "nnlab.format_version";
constexpr const char* kModelKey = "nnlab.model";
constexpr const char* kInputShapeKey = "nnlab.input_shape";

// Parameters then buffers, in model order, each under its nn.Sequential name.
std::vector<std::pair<std::string, Tensor<float>*>> named_tensors(Module<float>& model) {
  std::vector<std::pair<std::string, Tensor<float>*>> all;
  for (const Parameter<float>& p : model.parameters()) all.emplace_back(p.name, p.value);
  for (const auto& buffer : model.buffers()) all.push_back(buffer);
  return all;
}

// Files written before nnlab took PyTorch's names hold BatchNorm's and LayerNorm's
// weight and bias as gamma and beta (LayerNorm's flat, C·H·W rather than C×H×W):
// those older names, by the current ones.
std::map<std::string, std::string> older_names(const Sequential<float>& model) {
  std::map<std::string, std::string> older;
  for (size_t i = 0; i < model.size(); ++i) {
    const std::string type = model[i].type();
    if (type != "BatchNorm" && type != "LayerNorm") continue;
    const std::string prefix = std::to_string(i) + ".";
    older[prefix + "weight"] = prefix + "gamma";
    older[prefix + "bias"] = prefix + "beta";
  }
  return older;
}

const std::string& required(const std::map<std::string, std::string>& metadata, const char* key,
                            const std::string& path) {
  const auto it = metadata.find(key);
  if (it == metadata.end()) {
    throw std::runtime_error(path + ": not an nnlab model: no " + std::string(key) + " in metadata");
  }
  return it->second;
}

// values: how many floating-point values the file's tensors hold. The model may not need more:
// a spec that asks for more is refused before its layers allocate anything.
Sequential<float> rebuild(const std::map<std::string, std::string>& metadata, const std::string& path, int64_t values,
                          const ModuleRegistry<float>* registry) {
  // nnlab.model is checked first: a safetensors file from elsewhere lacks all
  // three keys, and "no nnlab.model" says best what is wrong with it.
  const std::string& spec = required(metadata, kModelKey, path);
  const std::string& version = required(metadata, kVersionKey, path);
  const std::string& input_shape = required(metadata, kInputShapeKey, path);
  if (version != kModelFormatVersion) {
    throw std::runtime_error(path + ": nnlab model format version " + version + ", this nnlab reads version " +
                             kModelFormatVersion);
  }
  Shape input_sample;
  try {
    input_sample = Shape::parse_spec(input_shape);
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(path + ": bad nnlab.input_shape: " + e.what());
  }
  try {
    // A little room above the file's own count lets a file that is merely wrong reach the message
    // that names the tensor of the wrong shape; a spec of millions of values more is refused here.
    constexpr int64_t kRoom = int64_t{1} << 22;
    BuildLimits limits = BuildLimits::for_memory(sizeof(float));
    if (values + kRoom < limits.max_values) {
      limits.max_values = values + kRoom;
      limits.reason = "the file's tensors hold " + std::to_string(values) + " values in all";
    }
    return registry != nullptr ? build_model<float>(spec, input_sample, *registry, limits)
                               : build_model<float>(spec, input_sample, limits);
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(path + ": bad nnlab.model '" + spec + "': " + e.what());
  }
}

}  // namespace

void save_model(Sequential<float>& model, const std::string& path,
                const std::map<std::string, std::string>& extra_metadata) {
  save_model(model, model.input_shape(), path, extra_metadata);
}

void save_model(Module<float>& model, const Shape& input_sample, const std::string& path,
                const std::map<std::string, std::string>& extra_metadata) {
  // Any other module is stored as the one module of a Sequential, the form its spec rebuilds.
  const bool sequential = dynamic_cast<Sequential<float>*>(&model) != nullptr;
  const std::string prefix = sequential ? "" : "0.";
  try {
    model.output_shape(input_sample);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument("cannot write " + path + ": the " + model.type() + " does not take samples of shape " +
                                input_sample.spec() + ": " + e.what());
  }
  SafetensorsContents contents;
  contents.metadata = extra_metadata;
  for (const char* key : {kVersionKey, kModelKey, kInputShapeKey}) {
    if (extra_metadata.count(key)) {
      throw std::invalid_argument("cannot write " + path + ": metadata key " + key + " is set by save_model");
    }
  }
  contents.metadata[kVersionKey] = kModelFormatVersion;
  contents.metadata[kModelKey] = model.spec();
  contents.metadata[kInputShapeKey] = input_sample.spec();
  for (const auto& [own_name, tensor] : named_tensors(model)) {
    const std::string name = prefix + own_name;
    if (contents.tensors.count(name)) throw std::logic_error("cannot write " + path + ": two tensors named " + name);
    SafetensorsTensor& stored = contents.tensors[name];
    stored.shape = tensor->shape().to_vector();
    stored.data.assign(tensor->begin(), tensor->end());
  }
  for (const auto& [own_name, value] : model.integer_buffers()) {
    const std::string name = prefix + own_name;
    if (contents.tensors.count(name)) throw std::logic_error("cannot write " + path + ": two tensors named " + name);
    contents.tensors[name] = {{}, {}, "I64", {*value}};  // a scalar, as PyTorch stores it
  }
  write_safetensors(path, contents);
}

namespace {
LoadedModel load(const std::string& path, const ModuleRegistry<float>* registry) {
  SafetensorsContents contents = read_safetensors(path);
  int64_t values = 0;
  for (const auto& [name, tensor] : contents.tensors) {
    if (!tensor.is_integer()) values += static_cast<int64_t>(tensor.data.size());
  }
  Sequential<float> model = rebuild(contents.metadata, path, values, registry);
  LoadedModel loaded{std::move(model), std::move(contents.metadata)};

  const std::map<std::string, std::string> older = older_names(loaded.model);
  for (const auto& [name, tensor] : named_tensors(loaded.model)) {
    auto found = contents.tensors.find(name);
    if (found == contents.tensors.end() && older.count(name)) found = contents.tensors.find(older.at(name));
    if (found == contents.tensors.end()) {
      throw std::runtime_error(path + ": tensor " + name + " is missing (the model " + loaded.metadata.at(kModelKey) +
                               " needs it)");
    }
    if (found->second.is_integer()) {
      throw std::runtime_error(path + ": tensor " + name + " has dtype " + found->second.dtype +
                               ", the model needs F32 or F64");
    }
    const std::vector<int64_t> needed = tensor->shape().to_vector();
    const bool older_flat = older.count(name) && found->first == older.at(name) &&
                            found->second.shape == std::vector<int64_t>{tensor->size()};
    if (found->second.shape != needed && !older_flat) {
      throw std::runtime_error(path + ": tensor " + name + " has shape " + shape_text(found->second.shape) +
                               ", the model needs " + shape_text(needed));
    }
    std::copy(found->second.data.begin(), found->second.data.end(), tensor->begin());
    contents.tensors.erase(found);
  }
  // Files written before nnlab saved them lack the integers; the layers' own values
  // (0 batches tracked) stand.
  for (const auto& [name, value] : loaded.model.integer_buffers()) {
    const auto found = contents.tensors.find(name);
    if (found == contents.tensors.end()) continue;
    if (!found->second.is_integer() || !found->second.shape.empty()) {
      throw std::runtime_error(path + ": tensor " + name + " is " + found->second.dtype + " of shape " +
                               shape_text(found->second.shape) + ", the model needs an I64 scalar (shape [])");
    }
    *value = found->second.integers[0];
    contents.tensors.erase(found);
  }
  if (!contents.tensors.empty()) {
    throw std::runtime_error(path + ": tensor " + contents.tensors.begin()->first + " is not part of the model " +
                             loaded.metadata.at(kModelKey));
  }
  check_finite_tensors(loaded.model, path);
  loaded.model.eval();
  return loaded;
}
}  // namespace

LoadedModel load_model(const std::string& path) { return load(path, nullptr); }

LoadedModel load_model(const std::string& path, const ModuleRegistry<float>& registry) { return load(path, &registry); }

}  // namespace nnlab
