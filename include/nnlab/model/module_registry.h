#pragma once
// Your own Module types in model specs and model files.
//
//   ModuleRegistry<float> registry;
//   registry.add("swish", [](const std::string& token, const Shape& input) {
//     return std::make_unique<Swish<float>>();          // parse token ("swish" or "swish:2") as you like
//   });
//   Sequential<float> model = build_model<float>("linear:64,swish,linear:10", Shape{784}, registry);
//   save_model(model, "m.safetensors");
//   LoadedModel loaded = load_model("m.safetensors", registry);   // the same model again
//
// A registered type is found by the first word of its token (before any ':'); its spec()
// must give a token its factory reads back to the same module, since that is what a saved
// model is rebuilt from. Its parameters and buffers are saved under its parameters() and
// buffers() names, like a built-in layer's. The registry is a value the caller owns and
// passes in: nothing is registered for the whole process.

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "nnlab/model/module.h"

namespace nnlab {

template <typename T>
class ModuleRegistry {
 public:
  // Builds the module for one token, for input samples of this shape; throws
  // std::invalid_argument for a token it cannot read.
  using Factory = std::function<ModulePtr<T>(const std::string& token, const Shape& input_sample)>;

  // Throws std::invalid_argument for a name that is not a lowercase word (a-z, 0-9, '-', '_',
  // starting with a letter), that a built-in layer or block has, or that is registered already.
  void add(const std::string& name, Factory factory);
  // The factory for a name; nullptr when it is not registered.
  const Factory* find(const std::string& name) const;
  std::vector<std::string> names() const;

 private:
  std::map<std::string, Factory> factories_;
};

}  // namespace nnlab
