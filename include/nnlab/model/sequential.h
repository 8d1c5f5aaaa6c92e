#pragma once
// Sequential: layers applied one after another.
//
//   Sequential<float> model(Shape{784});
//   model.add(std::make_unique<Linear<float>>(784, 100)).add(std::make_unique<ReLU<float>>());
//   const Tensor<float>& y = model.forward(x);
//   model.backward(loss.backward());
//
// Parameters are named "<layer index>.<name>" ("0.weight", "0.bias", "2.weight"),
// the names PyTorch's nn.Sequential gives them, so saved weights load there as they are.

#include <memory>
#include <string>
#include <vector>

#include "nnlab/layers/layer.h"

namespace nnlab {

template <typename T>
class Sequential {
 public:
  // input_sample: the shape of one input sample, e.g. {784} or {1, 28, 28}.
  explicit Sequential(const Shape& input_sample) : input_sample_(input_sample) {}
  Sequential(Sequential&&) noexcept = default;
  Sequential& operator=(Sequential&&) noexcept = default;

  // Appends a layer; throws std::invalid_argument if it cannot take the current output shape.
  Sequential& add(LayerPtr<T> layer);

  const Tensor<T>& forward(const Tensor<T>& x);
  // Backpropagates dL/d(output); fills every parameter gradient.
  const Tensor<T>& backward(const Tensor<T>& dy);

  std::vector<Parameter<T>> parameters();
  // Saved with the weights but not learnt, named like parameters.
  std::vector<std::pair<std::string, Tensor<T>*>> buffers();
  int64_t parameter_count();

  void initialize(const Initializer& init, Rng& rng);
  void train() { set_training(true); }
  void eval() { set_training(false); }
  void set_training(bool training);
  bool training() const { return training_; }
  // Whether backward computes dL/d(input) for the first layer (off by default: training does not need it).
  void set_input_grad(bool needed);
  // Throws std::logic_error naming the first layer that cannot be trained through (Step).
  void check_trainable() const;

  size_t size() const { return layers_.size(); }
  Layer<T>& operator[](size_t index) { return *layers_[index]; }
  const Layer<T>& operator[](size_t index) const { return *layers_[index]; }
  const Shape& input_shape() const { return input_sample_; }
  Shape output_shape() const { return output_sample_.rank() ? output_sample_ : input_sample_; }
  // The model in the spec grammar, e.g. "linear:100,relu,linear:10".
  std::string spec() const;
  // A table of layers, output shapes and parameter counts.
  std::string summary();

 private:
  Shape input_sample_;
  Shape output_sample_;
  std::vector<LayerPtr<T>> layers_;
  bool training_ = true;
  bool input_grad_ = false;
};

}  // namespace nnlab
