#include "nnlab/state/state_dict.h"

#include <algorithm>
#include <stdexcept>

#include "nnlab/io/safetensors.h"

namespace nnlab {

namespace {

using Dtype = StateEntry::Dtype;

std::string quoted(const std::string& name) { return "'" + name + "'"; }

std::vector<int64_t> one_dimension(size_t count) { return {static_cast<int64_t>(count)}; }

int64_t element_count(const std::vector<int64_t>& shape) {
  int64_t count = 1;
  for (int64_t dim : shape) count *= dim;
  return count;
}

size_t value_count(const StateEntry& entry) {
  return std::visit([](const auto& values) { return values.size(); }, entry.values);
}

}  // namespace

std::string StateEntry::dtype_name() const {
  switch (dtype()) {
    case Dtype::kF32:
      return "F32";
    case Dtype::kF64:
      return "F64";
    case Dtype::kI64:
      return "I64";
    case Dtype::kU8:
      return "U8";
  }
  return "?";
}

std::string StateEntry::describe() const { return dtype_name() + " of shape " + shape_text(shape); }

void StateDict::put_entry(const std::string& name, StateEntry entry) {
  if (name.empty()) throw std::invalid_argument("state entry names must not be empty");
  for (int64_t dim : entry.shape) {
    if (dim < 0) throw std::invalid_argument("state entry " + quoted(name) + ": negative dimension");
  }
  if (static_cast<size_t>(element_count(entry.shape)) != value_count(entry)) {
    throw std::invalid_argument("state entry " + quoted(name) + " of shape " + shape_text(entry.shape) + " has " +
                                std::to_string(value_count(entry)) + " values");
  }
  if (!entries_.emplace(name, std::move(entry)).second) {
    throw std::invalid_argument("state entry " + quoted(name) + " is there already");
  }
}

template <typename T>
void StateDict::put(const std::string& name, const Tensor<T>& tensor) {
  put_entry(name, {tensor.shape().to_vector(), std::vector<T>(tensor.begin(), tensor.end())});
}

void StateDict::put_int(const std::string& name, int64_t value) { put_entry(name, {{}, std::vector<int64_t>{value}}); }

void StateDict::put_ints(const std::string& name, std::vector<int64_t> values) {
  const auto shape = one_dimension(values.size());
  put_entry(name, {shape, std::move(values)});
}

void StateDict::put_double(const std::string& name, double value) { put_entry(name, {{}, std::vector<double>{value}}); }

void StateDict::put_doubles(const std::string& name, std::vector<double> values) {
  const auto shape = one_dimension(values.size());
  put_entry(name, {shape, std::move(values)});
}

void StateDict::put_floats(const std::string& name, std::vector<float> values) {
  const auto shape = one_dimension(values.size());
  put_entry(name, {shape, std::move(values)});
}

void StateDict::put_bytes(const std::string& name, std::string bytes) {
  const auto shape = one_dimension(bytes.size());
  put_entry(name, {shape, std::move(bytes)});
}

const StateEntry& StateDict::at(const std::string& name) const {
  const auto found = entries_.find(name);
  if (found == entries_.end()) throw std::runtime_error("state entry " + quoted(name) + " is missing");
  return found->second;
}

const StateEntry& StateDict::find(const std::string& name, Dtype dtype, const std::string& wanted) const {
  const StateEntry& entry = at(name);
  if (entry.dtype() != dtype) {
    throw std::runtime_error("state entry " + quoted(name) + " is " + entry.describe() + ", expected " + wanted);
  }
  return entry;
}

template <typename T>
Tensor<T> StateDict::tensor(const std::string& name, const Shape& shape) const {
  const bool is_float = std::is_same_v<T, float>;
  const std::string wanted = std::string(is_float ? "F32" : "F64") + " of shape " + shape.str();
  const StateEntry& entry = find(name, is_float ? Dtype::kF32 : Dtype::kF64, wanted);
  if (entry.shape != shape.to_vector()) {
    throw std::runtime_error("state entry " + quoted(name) + " is " + entry.describe() + ", expected " + wanted);
  }
  return Tensor<T>(shape, std::get<std::vector<T>>(entry.values));
}

int64_t StateDict::get_int(const std::string& name) const {
  const StateEntry& entry = find(name, Dtype::kI64, "an I64 scalar");
  if (!entry.shape.empty()) {
    throw std::runtime_error("state entry " + quoted(name) + " is " + entry.describe() + ", expected an I64 scalar");
  }
  return std::get<std::vector<int64_t>>(entry.values)[0];
}

std::vector<int64_t> StateDict::get_ints(const std::string& name) const {
  const StateEntry& entry = find(name, Dtype::kI64, "I64 of shape [n]");
  if (entry.shape.size() != 1) {
    throw std::runtime_error("state entry " + quoted(name) + " is " + entry.describe() + ", expected I64 of shape [n]");
  }
  return std::get<std::vector<int64_t>>(entry.values);
}

double StateDict::get_double(const std::string& name) const {
  const StateEntry& entry = find(name, Dtype::kF64, "an F64 scalar");
  if (!entry.shape.empty()) {
    throw std::runtime_error("state entry " + quoted(name) + " is " + entry.describe() + ", expected an F64 scalar");
  }
  return std::get<std::vector<double>>(entry.values)[0];
}

std::vector<double> StateDict::get_doubles(const std::string& name) const {
  const StateEntry& entry = find(name, Dtype::kF64, "F64 of shape [n]");
  if (entry.shape.size() != 1) {
    throw std::runtime_error("state entry " + quoted(name) + " is " + entry.describe() + ", expected F64 of shape [n]");
  }
  return std::get<std::vector<double>>(entry.values);
}

std::vector<float> StateDict::get_floats(const std::string& name) const {
  const StateEntry& entry = find(name, Dtype::kF32, "F32 of shape [n]");
  if (entry.shape.size() != 1) {
    throw std::runtime_error("state entry " + quoted(name) + " is " + entry.describe() + ", expected F32 of shape [n]");
  }
  return std::get<std::vector<float>>(entry.values);
}

const std::string& StateDict::get_bytes(const std::string& name) const {
  // Every U8 entry is one-dimensional: put_bytes and reading a file both make it so.
  return std::get<std::string>(find(name, Dtype::kU8, "U8 bytes").values);
}

std::vector<std::string> StateDict::names() const {
  std::vector<std::string> result;
  result.reserve(entries_.size());
  for (const auto& [name, entry] : entries_) result.push_back(name);
  return result;
}

void StateDict::merge(const StateDict& other, const std::string& prefix) {
  for (const auto& [name, entry] : other.entries_) put_entry(prefix + name, entry);
}

StateDict StateDict::under(const std::string& prefix) const {
  StateDict result;
  for (auto it = entries_.lower_bound(prefix); it != entries_.end() && it->first.starts_with(prefix); ++it) {
    if (it->first.size() > prefix.size()) result.entries_.emplace(it->first.substr(prefix.size()), it->second);
  }
  return result;
}

void StateDict::require_names(const std::vector<std::string>& expected, const std::string& owner) const {
  for (const std::string& name : expected) {
    if (!contains(name)) throw std::runtime_error(owner + ": state entry " + quoted(name) + " is missing");
  }
  for (const auto& [name, entry] : entries_) {
    if (std::find(expected.begin(), expected.end(), name) == expected.end()) {
      throw std::runtime_error(owner + ": unexpected state entry " + quoted(name));
    }
  }
}

void write_state_dict(const std::string& path, const StateDict& state,
                      const std::map<std::string, std::string>& metadata) {
  SafetensorsContents contents;
  contents.metadata = metadata;
  for (const auto& [name, entry] : state.entries()) {
    SafetensorsTensor& stored = contents.tensors[name];
    stored.shape = entry.shape;
    stored.dtype = entry.dtype_name();
    std::visit(
        [&stored](const auto& values) {
          using Values = std::decay_t<decltype(values)>;
          if constexpr (std::is_same_v<Values, std::vector<float>>) stored.data = values;
          if constexpr (std::is_same_v<Values, std::vector<double>>) stored.doubles = values;
          if constexpr (std::is_same_v<Values, std::vector<int64_t>>) stored.integers = values;
          if constexpr (std::is_same_v<Values, std::string>) stored.bytes = values;
        },
        entry.values);
  }
  write_safetensors(path, contents);
}

StateDict read_state_dict(const std::string& path, std::map<std::string, std::string>* metadata) {
  SafetensorsContents contents = read_safetensors(path, F64Reading::kExact);
  StateDict state;
  for (auto& [name, tensor] : contents.tensors) {
    StateEntry entry;
    entry.shape = tensor.shape;
    if (tensor.dtype == "F32") entry.values = std::move(tensor.data);
    if (tensor.dtype == "F64") entry.values = std::move(tensor.doubles);
    if (tensor.dtype == "I64") entry.values = std::move(tensor.integers);
    if (tensor.dtype == "U8") {
      // Bytes come back as one string whatever the file's shape.
      entry.shape = one_dimension(tensor.bytes.size());
      entry.values = std::move(tensor.bytes);
    }
    state.put_entry(name, std::move(entry));
  }
  if (metadata != nullptr) *metadata = std::move(contents.metadata);
  return state;
}

template void StateDict::put<float>(const std::string&, const Tensor<float>&);
template void StateDict::put<double>(const std::string&, const Tensor<double>&);
template Tensor<float> StateDict::tensor<float>(const std::string&, const Shape&) const;
template Tensor<double> StateDict::tensor<double>(const std::string&, const Shape&) const;

}  // namespace nnlab
