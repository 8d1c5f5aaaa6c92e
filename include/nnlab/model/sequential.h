#pragma once
// Sequential: modules (layers, residual blocks) applied one after another; itself a Module.
//
//   Sequential<float> model(Shape{784});
//   model.add(std::make_unique<Linear<float>>(784, 100)).add(std::make_unique<ReLU<float>>());
//   const Tensor<float>& y = model.forward(x);
//   model.backward(loss.backward());
//
// Parameters are named "<layer index>.<name>" ("0.weight", "0.bias", "2.weight"),
// the names PyTorch's nn.Sequential gives them, so saved weights load there as they are.
//
// Hooks let diagnostics look inside without touching the layers:
//
//   HookHandle h = model.add_forward_hook(2, [](size_t i, Layer<float>& layer, const Tensor<float>& in,
//                                               const Tensor<float>& out) { ... });
//   h.remove();  // or let h go out of scope
//
// A forward hook sees the layer's input and output right after its forward; a backward hook
// sees dL/d(output) and dL/d(input) right after its backward. The first layer does not compute
// dL/d(input) unless set_input_grad(true) (nothing needs it in training): its backward hooks then
// get an empty tensor (numel() == 0) for it. Tensors are the layers' own buffers, valid only
// during the call. Hooks must not add or remove hooks while they run.
// With no hooks registered the cost is one empty-vector check per forward or backward call.

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "nnlab/model/module.h"

namespace nnlab {

template <typename T>
using ForwardHook =
    std::function<void(size_t index, Module<T>& layer, const Tensor<T>& input, const Tensor<T>& output)>;
template <typename T>
using BackwardHook =
    std::function<void(size_t index, Module<T>& layer, const Tensor<T>& output_grad, const Tensor<T>& input_grad)>;

// The hooks of one model. Shared with the handles (weakly), so that a handle stays safe to
// remove after the model has been moved or destroyed.
template <typename T>
struct HookRegistry {
  static constexpr size_t kAllLayers = std::numeric_limits<size_t>::max();
  struct Forward {
    uint64_t id;
    size_t layer;
    ForwardHook<T> fn;
  };
  struct Backward {
    uint64_t id;
    size_t layer;
    BackwardHook<T> fn;
  };
  std::vector<Forward> forward;
  std::vector<Backward> backward;
  uint64_t next_id = 1;
  Tensor<T> no_input_grad;  // stays empty: what backward hooks of the first layer see

  void remove(uint64_t id) {
    std::erase_if(forward, [id](const Forward& h) { return h.id == id; });
    std::erase_if(backward, [id](const Backward& h) { return h.id == id; });
  }
};

// Unregisters its hook on remove() or when destroyed (RAII); movable, not copyable.
// release() keeps the hook for the model's lifetime.
template <typename T>
class HookHandle {
 public:
  HookHandle() = default;
  HookHandle(std::weak_ptr<HookRegistry<T>> registry, uint64_t id) : registry_(std::move(registry)), id_(id) {}
  HookHandle(HookHandle&& other) noexcept : registry_(std::move(other.registry_)), id_(std::exchange(other.id_, 0)) {}
  HookHandle& operator=(HookHandle&& other) noexcept {
    if (this != &other) {
      remove();
      registry_ = std::move(other.registry_);
      id_ = std::exchange(other.id_, 0);
    }
    return *this;
  }
  HookHandle(const HookHandle&) = delete;
  HookHandle& operator=(const HookHandle&) = delete;
  ~HookHandle() { remove(); }

  void remove() {
    if (id_ == 0) return;
    if (auto registry = registry_.lock()) registry->remove(id_);
    id_ = 0;
  }
  uint64_t release() { return std::exchange(id_, 0); }
  uint64_t id() const { return id_; }
  bool active() const { return id_ != 0; }

 private:
  std::weak_ptr<HookRegistry<T>> registry_;
  uint64_t id_ = 0;
};

template <typename T>
class ReLU;

template <typename T>
class Sequential final : public Module<T> {
 public:
  // input_sample: the shape of one input sample, e.g. {784} or {1, 28, 28}.
  // A model does not compute dL/d(input) unless told to (set_input_grad): training does not need it.
  explicit Sequential(const Shape& input_sample) : input_sample_(input_sample) { this->needs_input_grad_ = false; }
  Sequential(Sequential&&) noexcept = default;
  Sequential& operator=(Sequential&&) noexcept = default;

  // Appends a module; throws std::invalid_argument if it cannot take the current output shape.
  Sequential& add(ModulePtr<T> module);

  std::string type() const override { return "Sequential"; }
  // The model in the spec grammar, e.g. "linear:100,relu,linear:10".
  std::string spec() const override;
  Shape output_shape(const Shape& input_sample) const override;

  const Tensor<T>& forward(const Tensor<T>& x) override;
  // Backpropagates dL/d(output); fills every parameter gradient.
  const Tensor<T>& backward(const Tensor<T>& dy) override;
  // When its first module does, and no hooks are set (hooks see NCHW tensors: with hooks no module
  // is allowed to give channel blocks).
  bool takes_channel_blocks() const override {
    return !layers_.empty() && !hooked() && layers_.front()->takes_channel_blocks();
  }

  // "0", "1", ...: the children's names in PyTorch's nn.Sequential.
  std::vector<std::pair<std::string, Module<T>*>> children() const override;
  std::vector<Parameter<T>> parameters() override;
  // Saved with the weights but not learnt, named like parameters.
  std::vector<std::pair<std::string, Tensor<T>*>> buffers() override;
  // The same for the layers' integers (PyTorch's int64 buffers).
  std::vector<std::pair<std::string, int64_t*>> integer_buffers() override;
  std::vector<std::pair<std::string, Rng*>> generators() override;

  void initialize(const Initializer& init, Rng& rng) override;
  bool differentiable() const override;
  // The first module gets the decision; every later one must pass dL/d(input) back.
  void set_needs_input_grad(bool needs) override;
  void set_input_grad(bool needed) { set_needs_input_grad(needed); }
  void zero_grad() override {
    for (auto& layer : layers_) layer->zero_grad();
  }
  // Throws std::logic_error for a model without layers, or naming the first layer that cannot
  // be trained through (Step).
  void check_trainable() const override;

  size_t size() const { return layers_.size(); }
  Module<T>& operator[](size_t index) { return *layers_[index]; }
  const Module<T>& operator[](size_t index) const { return *layers_[index]; }
  const Shape& input_shape() const { return input_sample_; }
  Shape output_shape() const { return output_sample_.rank() ? output_sample_ : input_sample_; }
  // Hooks on one layer (throws std::out_of_range for an index past the last layer) or on every
  // layer; they run in the order they were added.
  [[nodiscard]] HookHandle<T> add_forward_hook(size_t layer_index, ForwardHook<T> fn);
  [[nodiscard]] HookHandle<T> add_forward_hook(ForwardHook<T> fn);
  [[nodiscard]] HookHandle<T> add_backward_hook(size_t layer_index, BackwardHook<T> fn);
  [[nodiscard]] HookHandle<T> add_backward_hook(BackwardHook<T> fn);
  // Unregisters a hook by the id of its handle (for ids kept with HookHandle::release()).
  void remove_hook(uint64_t id) { hooks_->remove(id); }
  size_t hook_count() const { return hooks_->forward.size() + hooks_->backward.size(); }

  // A table of layers, output shapes and parameter counts.
  std::string summary();

 private:
  bool hooked() const { return hooks_ != nullptr && (!hooks_->forward.empty() || !hooks_->backward.empty()); }
  // Layer i's forward. Unless hooks are set (rewrites_allowed false), it may give channel blocks
  // when the next module (or, for the last, this one's caller) takes them, and apply the ReLU
  // after it (Module::set_relu_out); a blocked output that the next cannot take is converted to NCHW.
  const Tensor<T>& forward_layer(size_t i, const Tensor<T>& x, bool rewrites_allowed);
  // Layer i's backward, the gradient first brought to the layout its output was given in.
  const Tensor<T>& backward_layer(size_t i, const Tensor<T>& dy);

  Shape input_sample_;
  Shape output_sample_;
  std::vector<ModulePtr<T>> layers_;
  // Per layer: its blocked output converted to NCHW for the next module, the block size of that
  // output (0: nothing converted), and the gradient for it converted back to that block size.
  // next_relu: the ReLU after it, when the layer can apply it itself (Module::takes_relu_out).
  struct Converted {
    Tensor<T> output, grad;
    int64_t block = 0;
    ReLU<T>* next_relu = nullptr;
  };
  std::vector<Converted> converted_;
  std::shared_ptr<HookRegistry<T>> hooks_ = std::make_shared<HookRegistry<T>>();
};

}  // namespace nnlab
