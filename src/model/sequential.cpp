#include "nnlab/model/sequential.h"

#include <iomanip>
#include <sstream>
#include <stdexcept>

#include "nnlab/kernels/channel_blocks.h"
#include "nnlab/layers/max_pool2d.h"
#include "nnlab/layers/relu.h"

namespace nnlab {

namespace {
// A ReLU followed by a max pool: the pool masks the gradient it sends back, and the ReLU passes it
// on as it is (MaxPool2d::set_input_from_relu): the same values, one pass fewer.
template <typename T>
void link_relu_max_pool(Module<T>& previous, Module<T>& next) {
  auto* relu = dynamic_cast<ReLU<T>*>(&previous);
  auto* pool = dynamic_cast<MaxPool2d<T>*>(&next);
  if (relu == nullptr || pool == nullptr) return;
  relu->set_gradient_masked_by_next(true);
  pool->set_input_from_relu(true);
}
}  // namespace

template <typename T>
Sequential<T>& Sequential<T>::add(ModulePtr<T> layer) {
  const Shape in = output_shape();
  Shape out;
  try {
    out = layer->output_shape(in);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument("layer " + std::to_string(layers_.size()) + " (" + layer->spec() + "): " + e.what());
  }
  layer->set_training(this->training_);
  layer->set_needs_input_grad(!layers_.empty() || this->needs_input_grad_);
  if (!layers_.empty()) link_relu_max_pool(*layers_.back(), *layer);
  if (!layers_.empty() && layers_.back()->takes_relu_out()) {
    converted_.back().next_relu = dynamic_cast<ReLU<T>*>(layer.get());
  }
  layers_.push_back(std::move(layer));
  converted_.resize(layers_.size());
  output_sample_ = out;
  return *this;
}

template <typename T>
const Tensor<T>& Sequential<T>::forward_layer(size_t i, const Tensor<T>& x, bool rewrites_allowed) {
  Module<T>& layer = *layers_[i];
  Converted& converted = converted_[i];
  const bool next_takes = rewrites_allowed && (i + 1 < layers_.size() ? layers_[i + 1]->takes_channel_blocks()
                                                                      : this->channel_blocks_out());
  const bool relu_out = rewrites_allowed && converted.next_relu != nullptr;
  layer.set_channel_blocks_out(next_takes);
  layer.set_relu_out(relu_out);
  const Tensor<T>& y = layer.forward(x);
  layer.set_channel_blocks_out(false);
  layer.set_relu_out(false);
  if (relu_out) converted.next_relu->set_input_rectified(true, layer.relu_out_masks_gradient());
  converted.block = next_takes ? 0 : y.channel_block();
  if (converted.block == 0) return y;
  convert_channel_blocks(y, 0, converted.output);
  return converted.output;
}

template <typename T>
const Tensor<T>& Sequential<T>::backward_layer(size_t i, const Tensor<T>& dy) {
  Converted& converted = converted_[i];
  if (converted.block == 0) return layers_[i]->backward(dy);
  return layers_[i]->backward(in_channel_blocks(dy, converted.block, converted.grad));
}

template <typename T>
const Tensor<T>& Sequential<T>::forward(const Tensor<T>& x) {
  if (x.shape().sample_shape().numel() != input_sample_.numel()) {
    throw std::invalid_argument("model expects samples of shape " + input_sample_.str() + ", got input " +
                                x.shape().str());
  }
  const Tensor<T>* current = &x;
  // One check per call keeps the loop without hooks exactly as it was (bench/mlp_bench.cpp).
  if (!hooked()) {
    for (size_t i = 0; i < layers_.size(); ++i) current = &forward_layer(i, *current, true);
    return *current;
  }
  for (size_t i = 0; i < layers_.size(); ++i) {
    const Tensor<T>& input = *current;
    current = &forward_layer(i, input, false);
    for (auto& hook : hooks_->forward) {
      if (hook.layer == i || hook.layer == HookRegistry<T>::kAllLayers) hook.fn(i, *layers_[i], input, *current);
    }
  }
  return *current;
}

template <typename T>
const Tensor<T>& Sequential<T>::backward(const Tensor<T>& dy) {
  const Tensor<T>* current = &dy;
  if (hooks_ == nullptr || hooks_->backward.empty()) {
    for (size_t i = layers_.size(); i-- > 0;) current = &backward_layer(i, *current);
    return *current;
  }
  for (size_t i = layers_.size(); i-- > 0;) {
    const Tensor<T>& output_grad = *current;
    current = &backward_layer(i, output_grad);
    // A layer told not to compute dL/d(input) returns a stale or empty buffer: show it as empty.
    const Tensor<T>& input_grad = layers_[i]->needs_input_grad() ? *current : hooks_->no_input_grad;
    for (auto& hook : hooks_->backward) {
      if (hook.layer == i || hook.layer == HookRegistry<T>::kAllLayers)
        hook.fn(i, *layers_[i], output_grad, input_grad);
    }
  }
  return *current;
}

namespace {
void check_hook_layer(size_t index, size_t layers) {
  if (index >= layers) {
    throw std::out_of_range("no layer " + std::to_string(index) + " to hook: the model has " + std::to_string(layers) +
                            " layers");
  }
}
}  // namespace

template <typename T>
HookHandle<T> Sequential<T>::add_forward_hook(size_t layer_index, ForwardHook<T> fn) {
  if (layer_index != HookRegistry<T>::kAllLayers) check_hook_layer(layer_index, layers_.size());
  const uint64_t id = hooks_->next_id++;
  hooks_->forward.push_back({id, layer_index, std::move(fn)});
  return HookHandle<T>(hooks_, id);
}

template <typename T>
HookHandle<T> Sequential<T>::add_forward_hook(ForwardHook<T> fn) {
  return add_forward_hook(HookRegistry<T>::kAllLayers, std::move(fn));
}

template <typename T>
HookHandle<T> Sequential<T>::add_backward_hook(size_t layer_index, BackwardHook<T> fn) {
  if (layer_index != HookRegistry<T>::kAllLayers) check_hook_layer(layer_index, layers_.size());
  const uint64_t id = hooks_->next_id++;
  hooks_->backward.push_back({id, layer_index, std::move(fn)});
  return HookHandle<T>(hooks_, id);
}

template <typename T>
HookHandle<T> Sequential<T>::add_backward_hook(BackwardHook<T> fn) {
  return add_backward_hook(HookRegistry<T>::kAllLayers, std::move(fn));
}

template <typename T>
std::vector<Parameter<T>> Sequential<T>::parameters() {
  std::vector<Parameter<T>> all;
  for (size_t i = 0; i < layers_.size(); ++i) append_prefixed(all, std::to_string(i), layers_[i]->parameters());
  return all;
}

template <typename T>
std::vector<std::pair<std::string, Tensor<T>*>> Sequential<T>::buffers() {
  std::vector<std::pair<std::string, Tensor<T>*>> all;
  for (size_t i = 0; i < layers_.size(); ++i) append_prefixed(all, std::to_string(i), layers_[i]->buffers());
  return all;
}

template <typename T>
std::vector<std::pair<std::string, int64_t*>> Sequential<T>::integer_buffers() {
  std::vector<std::pair<std::string, int64_t*>> all;
  for (size_t i = 0; i < layers_.size(); ++i) append_prefixed(all, std::to_string(i), layers_[i]->integer_buffers());
  return all;
}

template <typename T>
std::vector<std::pair<std::string, Rng*>> Sequential<T>::generators() {
  std::vector<std::pair<std::string, Rng*>> all;
  for (size_t i = 0; i < layers_.size(); ++i) append_prefixed(all, std::to_string(i), layers_[i]->generators());
  return all;
}

template <typename T>
std::vector<std::pair<std::string, Module<T>*>> Sequential<T>::children() const {
  std::vector<std::pair<std::string, Module<T>*>> all;
  for (size_t i = 0; i < layers_.size(); ++i) all.emplace_back(std::to_string(i), layers_[i].get());
  return all;
}

template <typename T>
Shape Sequential<T>::output_shape(const Shape& input_sample) const {
  if (input_sample != input_sample_) {
    throw std::invalid_argument("sequence built for samples " + input_sample_.str() + ", got " + input_sample.str());
  }
  return output_shape();
}

template <typename T>
void Sequential<T>::initialize(const Initializer& init, Rng& rng) {
  const Initializer& mine = this->initializer().value_or(init);
  for (auto& layer : layers_) layer->initialize(layer->initializer().value_or(mine), rng);
}

template <typename T>
bool Sequential<T>::differentiable() const {
  for (const auto& layer : layers_) {
    if (!layer->differentiable()) return false;
  }
  return true;
}

template <typename T>
void Sequential<T>::set_needs_input_grad(bool needs) {
  this->needs_input_grad_ = needs;
  if (!layers_.empty()) layers_.front()->set_needs_input_grad(needs);
}

template <typename T>
void Sequential<T>::check_trainable() const {
  if (layers_.empty()) throw std::logic_error("the model has no layers");
  Module<T>::check_trainable();
}

template <typename T>
std::string Sequential<T>::spec() const {
  std::string out;
  for (const auto& layer : layers_) {
    out += (out.empty() ? "" : ",") + layer->spec();
    if (layer->initializer()) out += ":init=" + layer->initializer()->str();
  }
  return out;
}

template <typename T>
std::string Sequential<T>::summary() {
  std::ostringstream out;
  out << std::left << std::setw(4) << "#" << std::setw(24) << "layer" << std::setw(16) << "output"
      << "parameters\n";
  out << std::setw(4) << "" << std::setw(24) << "input" << std::setw(16) << input_sample_.str() << "\n";
  Shape shape = input_sample_;
  int64_t total = 0;
  for (size_t i = 0; i < layers_.size(); ++i) {
    shape = layers_[i]->output_shape(shape);
    int64_t count = 0;
    for (const auto& p : layers_[i]->parameters()) count += p.value->size();
    total += count;
    out << std::setw(4) << i << std::setw(24) << layers_[i]->spec() << std::setw(16) << shape.str() << count << "\n";
  }
  out << "total parameters: " << total << "\n";
  return out.str();
}

template class Sequential<float>;
template class Sequential<double>;

}  // namespace nnlab
