#include "nnlab/model/module_registry.h"

#include <algorithm>
#include <stdexcept>

#include "nnlab/model/model_spec.h"

namespace nnlab {

template <typename T>
void ModuleRegistry<T>::add(const std::string& name, Factory factory) {
  const bool word =
      !name.empty() && name[0] >= 'a' && name[0] <= 'z' && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
      });
  if (!word) {
    throw std::invalid_argument("module type name '" + name +
                                "' must be a lowercase word (a-z, 0-9, '-', '_', starting with a letter)");
  }
  const auto builtin = layer_names();
  if (std::find(builtin.begin(), builtin.end(), name) != builtin.end() || is_preset(name)) {
    throw std::invalid_argument("module type name '" + name + "' is nnlab's own");
  }
  if (!factory) throw std::invalid_argument("module type '" + name + "' needs a factory");
  if (!factories_.emplace(name, std::move(factory)).second) {
    throw std::invalid_argument("module type '" + name + "' is registered already");
  }
}

template <typename T>
const typename ModuleRegistry<T>::Factory* ModuleRegistry<T>::find(const std::string& name) const {
  const auto it = factories_.find(name);
  return it == factories_.end() ? nullptr : &it->second;
}

template <typename T>
std::vector<std::string> ModuleRegistry<T>::names() const {
  std::vector<std::string> out;
  for (const auto& [name, factory] : factories_) out.push_back(name);
  return out;
}

template class ModuleRegistry<float>;
template class ModuleRegistry<double>;

}  // namespace nnlab
