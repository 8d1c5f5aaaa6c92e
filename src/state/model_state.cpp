#include "nnlab/state/model_state.h"

#include <algorithm>

namespace nnlab {

template <typename T>
StateDict model_state_dict(Module<T>& model) {
  StateDict state;
  for (const Parameter<T>& p : model.parameters()) state.put(p.name, *p.value);
  for (const auto& [name, tensor] : model.buffers()) state.put(name, *tensor);
  for (const auto& [name, value] : model.integer_buffers()) state.put_int(name, *value);
  for (const auto& [name, rng] : model.generators()) state.merge(rng->state_dict(), name + ".");
  return state;
}

template <typename T>
void load_model_state_dict(Module<T>& model, const StateDict& state) {
  std::vector<std::string> expected = model_state_dict(model).names();
  state.require_names(expected, "the model");
  // Read everything first (each read checks dtype and shape), then change the model.
  std::vector<std::pair<Tensor<T>*, Tensor<T>>> tensors;
  for (const Parameter<T>& p : model.parameters()) {
    tensors.emplace_back(p.value, state.tensor<T>(p.name, p.value->shape()));
  }
  for (const auto& [name, tensor] : model.buffers())
    tensors.emplace_back(tensor, state.tensor<T>(name, tensor->shape()));
  std::vector<std::pair<int64_t*, int64_t>> integers;
  for (const auto& [name, value] : model.integer_buffers()) integers.emplace_back(value, state.get_int(name));
  std::vector<std::pair<Rng*, Rng>> generators;
  for (const auto& [name, rng] : model.generators()) {
    Rng restored;
    restored.load_state_dict(state.under(name + "."));
    generators.emplace_back(rng, restored);
  }
  for (auto& [target, value] : tensors) std::copy(value.begin(), value.end(), target->begin());
  for (auto& [target, value] : integers) *target = value;
  for (auto& [target, value] : generators) *target = value;
}

template StateDict model_state_dict<float>(Module<float>&);
template StateDict model_state_dict<double>(Module<double>&);
template void load_model_state_dict<float>(Module<float>&, const StateDict&);
template void load_model_state_dict<double>(Module<double>&, const StateDict&);

}  // namespace nnlab
