#pragma once
// The Module contract: anything with a forward and a backward. Layers (Linear,
// Conv2d, ReLU, ...) are Modules; Sequential and Residual are Modules made of
// Modules.
//
// forward(x) computes the output and caches what backward needs; backward(dy)
// takes dL/d(output), adds dL/d(parameters) to the parameter gradients and
// returns dL/d(input). Gradients accumulate over backward calls until zero_grad(),
// PyTorch's rule: N backward passes of N batches between two zero_grad() calls sum
// their gradients (gradient accumulation). Both return references to buffers the module owns and
// reuses: once the batch size is known, no module allocates. The input passed
// to forward must stay alive and unchanged until the matching backward.
//
// Names: parameters and buffers are named as PyTorch names them in the same
// nn.Module tree: a layer's own ("weight", "bias", "running_mean"), a container's
// under its children's names ("3.body.0.weight"), so that a state dict nnlab
// writes loads into the equivalent PyTorch model with strict=True.
//
// Shapes: dense input is N×F, image input N×C×H×W; the first dimension is
// always the batch.

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "nnlab/init/initializer.h"
#include "nnlab/tensor/random.h"
#include "nnlab/tensor/tensor.h"

namespace nnlab {

// A learnable tensor and its gradient, registered under PyTorch's name ("weight",
// "bias"; BatchNorm's γ and β too) so that optimizers, checkpoints and hooks find it.
template <typename T>
struct Parameter {
  std::string name;
  Tensor<T>* value = nullptr;
  Tensor<T>* grad = nullptr;
  // Weight decay applies to weights, not to biases or normalisation shifts.
  bool decay = true;
};

template <typename T>
class Module {
 public:
  virtual ~Module() = default;

  // The textbook name: "Linear", "ReLU", "Residual", ...
  virtual std::string type() const = 0;
  // The module in the model-spec grammar ("linear:100", "relu", "res(...)"), from which a
  // saved model is rebuilt.
  virtual std::string spec() const = 0;
  // The shape of one output sample for one input sample (batch dimension left out);
  // throws std::invalid_argument when the module cannot take that input.
  virtual Shape output_shape(const Shape& input_sample) const = 0;

  virtual const Tensor<T>& forward(const Tensor<T>& x) = 0;
  virtual const Tensor<T>& backward(const Tensor<T>& dy) = 0;

  // The modules this one is made of, under the names PyTorch gives them ("0", "body",
  // "shortcut"); empty for a layer.
  virtual std::vector<std::pair<std::string, Module<T>*>> children() const { return {}; }

  // Learnt tensors, this module's own and then its children's under "<child>.<name>".
  virtual std::vector<Parameter<T>> parameters() { return {}; }
  // Tensors that are saved with the model but not learnt (BatchNorm's running statistics).
  virtual std::vector<std::pair<std::string, Tensor<T>*>> buffers() { return {}; }
  // Integers saved with the model, PyTorch's int64 buffers (BatchNorm's num_batches_tracked).
  virtual std::vector<std::pair<std::string, int64_t*>> integer_buffers() { return {}; }
  // Random generators the module draws from while training (Dropout's masks): part of a
  // checkpoint, so that a resumed run draws the same masks.
  virtual std::vector<std::pair<std::string, Rng*>> generators() { return {}; }
  int64_t parameter_count() {
    int64_t count = 0;
    for (const Parameter<T>& p : parameters()) count += p.value->size();
    return count;
  }

  // Sets the weights with the initialiser (biases to zero); a container passes it on to
  // its children, each of which uses its own initialiser instead if it has one.
  virtual void initialize(const Initializer& /*init*/, Rng& /*rng*/) {}

  // False for modules whose gradient is zero almost everywhere (Step): training through them is an error.
  virtual bool differentiable() const { return true; }
  // Throws std::logic_error naming the first layer (by dotted path) that cannot be trained through.
  virtual void check_trainable() const {
    std::string path;
    const Module* leaf = untrainable_leaf(*this, "", path);
    if (leaf == nullptr) return;
    // Let the layer explain why, in its own words.
    try {
      const_cast<Module*>(leaf)->backward(Tensor<T>());
    } catch (const std::exception& e) {
      throw std::logic_error("layer " + path + " (" + leaf->type() + "): " + e.what());
    }
    throw std::logic_error("layer " + path + " (" + leaf->type() + ") cannot be trained");
  }

  // A per-module initialiser that a container's initialize uses instead of the model's
  // ("linear:100:init=xavier-normal" in a model spec).
  void set_initializer(const Initializer& init) { initializer_ = init; }
  const std::optional<Initializer>& initializer() const { return initializer_; }

  // Train and eval mode (Dropout, BatchNorm), set on the whole tree.
  void set_training(bool training) {
    training_ = training;
    for (auto& [name, child] : children()) child->set_training(training);
  }
  bool training() const { return training_; }
  void train() { set_training(true); }
  void eval() { set_training(false); }

  // Whether backward must compute dL/d(input). The model decides: nothing needs it for the
  // model's own input in training, so its first layer (a Linear reading mostly-zero pixels,
  // say) may skip it; a container passes the decision on to the children that see its input.
  virtual void set_needs_input_grad(bool needs) { needs_input_grad_ = needs; }
  bool needs_input_grad() const { return needs_input_grad_; }

  // Channel-blocked image batches (Tensor::channel_block, kernels/channel_blocks.h), the layout of
  // oneDNN's convolutions. takes_channel_blocks: whether forward takes x in it (backward then gives dx
  // in x's layout; a layer computes in it or converts). set_channel_blocks_out: whether forward may
  // give its output in it; a container allows it around one call when the next module takes it, so
  // that what a module gives to anyone else is NCHW.
  virtual bool takes_channel_blocks() const { return false; }
  void set_channel_blocks_out(bool allowed) { channel_blocks_out_ = allowed; }
  bool channel_blocks_out() const { return channel_blocks_out_; }

  // A ReLU after this module, applied in the pass of forward that writes its output (BatchNorm,
  // Residual: y = max(0, ·) there, one pass over memory fewer than the ReLU's own). takes_relu_out:
  // whether forward can; set_relu_out: whether it does, set by a container around one call when the
  // next module is a ReLU, which is then told that its input is rectified (ReLU::set_input_rectified)
  // and passes it on. Hooks see every layer's own output, so a container with hooks never asks for it.
  virtual bool takes_relu_out() const { return false; }
  // Whether, having applied the ReLU, backward also takes the ReLU's output gradient and masks it
  // by the sign of y itself (BatchNorm: its backward reads x and recomputes y from it); the ReLU then
  // passes the gradient on as it is.
  virtual bool relu_out_masks_gradient() const { return false; }
  void set_relu_out(bool applied) { relu_out_ = applied; }
  bool relu_out() const { return relu_out_; }

  // Starts a new sum of gradients, on the whole tree: the next backward writes the parameter
  // gradients instead of adding to them. Like PyTorch's zero_grad(set_to_none=True) this
  // costs no pass over memory; until that backward the gradient tensors keep their old
  // values. A new module starts zeroed. Sequential and Residual pass it to their children
  // without listing them (children() allocates; a training step must not).
  virtual void zero_grad() {
    accumulate_grads_ = false;
    for (auto& [name, child] : children()) child->zero_grad();
  }

 private:
  // The first module without children in the tree that cannot be trained through, and its path.
  static const Module* untrainable_leaf(const Module& module, const std::string& path, std::string& found_path) {
    const auto children = module.children();
    if (children.empty()) {
      if (module.differentiable()) return nullptr;
      found_path = path;
      return &module;
    }
    for (const auto& [name, child] : children) {
      if (const Module* leaf = untrainable_leaf(*child, path.empty() ? name : path + "." + name, found_path)) {
        return leaf;
      }
    }
    return nullptr;
  }

 protected:
  // For a layer's backward: whether it adds to its parameter gradients (true) or writes them
  // (the first backward after zero_grad()); the backward calls after it add.
  bool begin_gradient_sum() { return std::exchange(accumulate_grads_, true); }

  bool training_ = true;
  bool needs_input_grad_ = true;
  bool accumulate_grads_ = false;
  bool channel_blocks_out_ = false;
  bool relu_out_ = false;
  std::optional<Initializer> initializer_;
};

template <typename T>
using ModulePtr = std::unique_ptr<Module<T>>;

// The names of `child`'s entries under the container's name for it: "body" + "0.weight".
template <typename Entry>
void append_prefixed(std::vector<Entry>& all, const std::string& prefix, std::vector<Entry> entries) {
  for (Entry& entry : entries) {
    if constexpr (requires { entry.name; }) {
      entry.name = prefix + "." + entry.name;
    } else {
      entry.first = prefix + "." + entry.first;
    }
    all.push_back(std::move(entry));
  }
}

}  // namespace nnlab
