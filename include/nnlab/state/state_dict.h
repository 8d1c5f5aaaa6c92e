#pragma once
// StateDict: everything a part of a training run must keep to carry on exactly
// where it stopped, by dotted name, as PyTorch's state_dict() is:
//
//   "state.0.exp_avg"        a float or double tensor (an optimizer's moments)
//   "param_groups.0.lr"      a double (F64 scalar)
//   "param_groups.0.step"    an int64 (I64 scalar), or an int64 array ("order")
//   "engine"                 raw bytes (a random generator's state as text)
//
// Entries are kept in name order. Each part of a run fills its own dict
// (Stateful, nnlab/state/stateful.h); a checkpoint gathers them under prefixes
// with merge() and hands each part its own back with under():
//
//   StateDict checkpoint;
//   checkpoint.merge(optimizer.state_dict(), "optimizer.");
//   checkpoint.merge(rng.state_dict(), "rng.");
//   write_state_dict(path, checkpoint);
//   ...
//   StateDict read = read_state_dict(path);
//   optimizer.load_state_dict(read.under("optimizer."));
//
// Reading an entry checks its dtype and shape and throws std::runtime_error
// naming the entry, what it holds and what was expected. The file is a
// safetensors file (F32, F64, I64 and U8 tensors), written atomically, that
// PyTorch's safetensors.torch.load_file reads.

#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "nnlab/tensor/tensor.h"

namespace nnlab {

// One named value: its shape ([] for a scalar) and its values.
struct StateEntry {
  enum class Dtype { kF32, kF64, kI64, kU8 };
  std::vector<int64_t> shape;
  std::variant<std::vector<float>, std::vector<double>, std::vector<int64_t>, std::string> values;

  Dtype dtype() const { return static_cast<Dtype>(values.index()); }
  // "F32", "F64", "I64" or "U8", safetensors' names.
  std::string dtype_name() const;
  // "F32 of shape [3, 2]", for error messages.
  std::string describe() const;
  bool operator==(const StateEntry& other) const = default;
};

class StateDict {
 public:
  // Adding throws std::invalid_argument for an empty name or one already taken.
  template <typename T>
  void put(const std::string& name, const Tensor<T>& tensor);             // F32 or F64 of the tensor's shape
  void put_int(const std::string& name, int64_t value);                   // I64 scalar
  void put_ints(const std::string& name, std::vector<int64_t> values);    // I64 of shape [n]
  void put_double(const std::string& name, double value);                 // F64 scalar
  void put_doubles(const std::string& name, std::vector<double> values);  // F64 of shape [n]
  void put_floats(const std::string& name, std::vector<float> values);    // F32 of shape [n]
  void put_bytes(const std::string& name, std::string bytes);             // U8 of shape [n]
  void put_entry(const std::string& name, StateEntry entry);

  // Reading throws std::runtime_error naming the entry when it is missing or holds
  // another dtype or shape than asked for.
  // The tensor of `shape` (F32 for float, F64 for double).
  template <typename T>
  Tensor<T> tensor(const std::string& name, const Shape& shape) const;
  int64_t get_int(const std::string& name) const;
  std::vector<int64_t> get_ints(const std::string& name) const;
  double get_double(const std::string& name) const;
  std::vector<double> get_doubles(const std::string& name) const;
  std::vector<float> get_floats(const std::string& name) const;
  const std::string& get_bytes(const std::string& name) const;
  const StateEntry& at(const std::string& name) const;

  bool contains(const std::string& name) const { return entries_.count(name) > 0; }
  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  std::vector<std::string> names() const;
  const std::map<std::string, StateEntry>& entries() const { return entries_; }

  // Adds every entry of `other` with `prefix` in front of its name ("optimizer.").
  // Throws std::invalid_argument when a name is already taken.
  void merge(const StateDict& other, const std::string& prefix);
  // The entries whose names start with `prefix`, the prefix taken off.
  StateDict under(const std::string& prefix) const;

  // Throws std::runtime_error when the names are not exactly `expected`, naming the first
  // missing one or, failing that, the first one not expected. `owner` begins the message.
  void require_names(const std::vector<std::string>& expected, const std::string& owner) const;

  bool operator==(const StateDict& other) const = default;

 private:
  const StateEntry& find(const std::string& name, StateEntry::Dtype dtype, const std::string& wanted) const;

  std::map<std::string, StateEntry> entries_;
};

// Writes the dict as a safetensors file, atomically (whole or not at all), with
// `metadata` in its header. Throws std::invalid_argument naming a bad entry and
// std::runtime_error naming the path when it cannot be written.
void write_state_dict(const std::string& path, const StateDict& state,
                      const std::map<std::string, std::string>& metadata = {});

// Reads a file write_state_dict wrote (or any safetensors file of F32, F64, I64 and
// U8 tensors), every value exact; the header's metadata into `metadata` when given.
// Throws std::runtime_error naming the path and the problem.
StateDict read_state_dict(const std::string& path, std::map<std::string, std::string>* metadata = nullptr);

}  // namespace nnlab
