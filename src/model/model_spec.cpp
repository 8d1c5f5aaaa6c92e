#include "nnlab/model/model_spec.h"

#include <cmath>
#include <functional>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "layer_factories.h"
#include "nnlab/model/residual.h"
#include "nnlab/tensor/checked_size.h"

namespace nnlab {

using namespace spec_parts;

namespace {
// A module of a type the caller registered, built by its own factory from the whole token.
template <typename T>
LayerPtr<T> make_registered(const typename ModuleRegistry<T>::Factory& factory, const std::string& token,
                            const Shape& input_sample, Budget& budget) {
  LayerPtr<T> module;
  try {
    module = factory(token, input_sample);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument("bad layer '" + token + "': " + e.what());
  }
  if (!module) throw std::invalid_argument("bad layer '" + token + "': its registered factory gave no module");
  // Counted once built: the factory is the caller's code, which allocates as it sees fit.
  int64_t values = 0;
  for (const auto& p : module->parameters()) values += p.value->size();
  budget.spend(LayerArgs{token, {}, {}}, {values});
  module->output_shape(input_sample);  // throws for an input it cannot take
  return module;
}

template <typename T>
LayerPtr<T> make_layer(const std::string& token, const Shape& input_sample, Budget& budget,
                       const ModuleRegistry<T>* registry) {
  const std::string name = token.substr(0, token.find(':'));
  const auto& table = factories<T>();
  const auto it = table.find(name);
  if (it == table.end()) {
    if (registry != nullptr) {
      if (const auto* factory = registry->find(name)) return make_registered<T>(*factory, token, input_sample, budget);
    }
    std::string known;
    for (const auto& [key, factory] : table) known += (known.empty() ? "" : ", ") + key;
    if (registry != nullptr) {
      for (const auto& key : registry->names()) known += ", " + key;
    }
    const std::string presets_known = preset_names();
    throw std::invalid_argument("unknown layer '" + name + "' in '" + token + "' (known: " + known +
                                "; whole-model presets: " + presets_known +
                                (registry == nullptr ? "; a type of your own needs a ModuleRegistry" : "") + ")");
  }
  const LayerArgs args = parse_token(token);
  LayerPtr<T> layer = it->second(args, input_sample, budget);
  if (const auto init = args.options.find("init"); init != args.options.end()) {
    if (layer->parameters().empty()) args.fail(layer->type() + " has no weights to initialise");
    try {
      layer->set_initializer(Initializer::parse(init->second));
    } catch (const std::invalid_argument& e) {
      args.fail(e.what());
    }
  }
  return layer;
}

// One sample's output of a layer must fit in a 64th of the machine's memory: a batch of such
// samples, their gradients and the layers' caches are many times that.
template <typename T>
void check_output_size(const std::string& token, const Shape& output_sample) {
  const int64_t values = output_sample.numel();
  const uint64_t limit = physical_memory_bytes() / 64 / sizeof(T);
  if (static_cast<uint64_t>(values) > limit) {
    throw std::invalid_argument("bad layer '" + token + "': its output " + output_sample.str() + " holds " +
                                std::to_string(values) + " values per sample (" +
                                byte_text(static_cast<double>(values) * sizeof(T)) + "), more than a 64th of this " +
                                "machine's " + byte_text(static_cast<double>(physical_memory_bytes())) + " of memory");
  }
}
}  // namespace

template <typename T>
LayerPtr<T> make_layer(const std::string& token, const Shape& input_sample) {
  Budget budget(BuildLimits::for_memory(sizeof(T)));
  return make_layer<T>(token, input_sample, budget, nullptr);
}

BuildLimits BuildLimits::for_memory(size_t element_size) {
  // Weights, their gradients and up to two optimizer moments each: four copies.
  BuildLimits limits;
  limits.max_values = static_cast<int64_t>(physical_memory_bytes() / (4 * element_size));
  limits.reason = "its weights, gradients and optimizer state must fit in this machine's " +
                  byte_text(static_cast<double>(physical_memory_bytes())) + " of memory";
  return limits;
}

namespace {
template <typename T>
Sequential<T> build_sequence(const std::string& spec, const Shape& input_sample, Budget& budget,
                             const ModuleRegistry<T>* registry);

// res(BODY)[:init=NAME]: a residual block around the sequence BODY, with the shortcut
// Residual::projection gives (the identity when BODY keeps the shape).
template <typename T>
ModulePtr<T> make_residual(const std::string& token, const Shape& input_sample, Budget& budget,
                           const ModuleRegistry<T>* registry) {
  const size_t close = token.rfind(')');
  if (close == std::string::npos || close < 4) {
    throw std::invalid_argument("bad block '" + token + "': expected res(LAYER,LAYER,...)");
  }
  const std::string body_spec = token.substr(4, close - 4);
  const std::string rest = token.substr(close + 1);
  if (body_spec.empty()) throw std::invalid_argument("bad block '" + token + "': the residual body is empty");
  std::optional<Initializer> init;
  if (rest.starts_with(":init=")) {
    try {
      init = Initializer::parse(rest.substr(6));
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument("bad block '" + token + "': " + e.what());
    }
  } else if (!rest.empty()) {
    throw std::invalid_argument("bad block '" + token + "': unexpected '" + rest +
                                "' after the body (only :init=NAME)");
  }
  Sequential<T> body = build_sequence<T>(body_spec, input_sample, budget, registry);
  ModulePtr<T> shortcut;
  try {
    const Shape out = body.output_shape();
    if (out != input_sample) {
      // Spent before the projection allocates: a 1×1 conv has Cout·Cin + Cout values, a Linear Fout·Fin + Fout.
      const LayerArgs args{token, {}, {}};
      budget.spend(args, {out[0], input_sample[0]}, out[0]);
    }
    shortcut = Residual<T>::projection(input_sample, out);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument("bad block '" + token + "': " + e.what());
  }
  auto block = std::make_unique<Residual<T>>(std::move(body), std::move(shortcut));
  if (init) block->set_initializer(*init);
  return block;
}

template <typename T>
Sequential<T> build_sequence(const std::string& spec, const Shape& input_sample, Budget& budget,
                             const ModuleRegistry<T>* registry) {
  Sequential<T> model(input_sample);
  for (const std::string& token : split_top_level(spec)) {
    if (token.empty()) throw std::invalid_argument("empty layer in model spec '" + spec + "'");
    if (token.starts_with("res(")) {
      model.add(make_residual<T>(token, model.output_shape(), budget, registry));
    } else {
      if (token.find('(') != std::string::npos) {
        throw std::invalid_argument("bad block '" + token + "': the only block is res(...)");
      }
      model.add(make_layer<T>(token, model.output_shape(), budget, registry));
    }
    check_output_size<T>(token, model.output_shape());
  }
  return model;
}
}  // namespace

namespace {
template <typename T>
Sequential<T> build(const std::string& spec_or_preset, const Shape& input_sample, const BuildLimits& limits,
                    const ModuleRegistry<T>* registry) {
  if (spec_or_preset.empty()) throw std::invalid_argument("empty model spec");
  const std::string spec = is_preset(spec_or_preset) ? preset_spec(spec_or_preset) : spec_or_preset;
  Budget budget(limits);
  try {
    Sequential<T> model = build_sequence<T>(spec, input_sample, budget, registry);
    model.set_needs_input_grad(false);  // the model's own input needs no gradient in training
    return model;
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument("model spec '" + spec + "': " + e.what());
  }
}

}  // namespace

template <typename T>
Sequential<T> build_model(const std::string& spec, const Shape& input_sample, const BuildLimits& limits) {
  return build<T>(spec, input_sample, limits, nullptr);
}

template <typename T>
Sequential<T> build_model(const std::string& spec, const Shape& input_sample) {
  return build<T>(spec, input_sample, BuildLimits::for_memory(sizeof(T)), nullptr);
}

template <typename T>
Sequential<T> build_model(const std::string& spec, const Shape& input_sample, const ModuleRegistry<T>& registry,
                          const BuildLimits& limits) {
  return build<T>(spec, input_sample, limits, &registry);
}

template <typename T>
Sequential<T> build_model(const std::string& spec, const Shape& input_sample, const ModuleRegistry<T>& registry) {
  return build<T>(spec, input_sample, BuildLimits::for_memory(sizeof(T)), &registry);
}

std::vector<std::string> layer_names() {
  std::vector<std::string> names;
  for (const auto& [name, factory] : factories<float>()) names.push_back(name);
  names.push_back("res");
  return names;
}

std::string mlp_spec(const std::vector<int64_t>& hidden, const std::string& activation, int64_t outputs) {
  std::string spec;
  for (int64_t h : hidden) spec += "linear:" + std::to_string(h) + "," + activation + ",";
  return spec + "linear:" + std::to_string(outputs);
}

const std::vector<std::string>& activation_names() {
  static const std::vector<std::string> names = {"relu", "sigmoid", "tanh", "identity", "step"};
  return names;
}

template Sequential<float> build_model<float>(const std::string&, const Shape&);
template Sequential<double> build_model<double>(const std::string&, const Shape&);
template Sequential<float> build_model<float>(const std::string&, const Shape&, const BuildLimits&);
template Sequential<double> build_model<double>(const std::string&, const Shape&, const BuildLimits&);
template Sequential<float> build_model<float>(const std::string&, const Shape&, const ModuleRegistry<float>&);
template Sequential<double> build_model<double>(const std::string&, const Shape&, const ModuleRegistry<double>&);
template Sequential<float> build_model<float>(const std::string&, const Shape&, const ModuleRegistry<float>&,
                                              const BuildLimits&);
template Sequential<double> build_model<double>(const std::string&, const Shape&, const ModuleRegistry<double>&,
                                                const BuildLimits&);
template LayerPtr<float> make_layer<float>(const std::string&, const Shape&);
template LayerPtr<double> make_layer<double>(const std::string&, const Shape&);

}  // namespace nnlab
