#pragma once
// The layer contract.
//
// forward(x) computes the output and caches what backward needs; backward(dy)
// takes dL/d(output), fills the parameter gradients (overwriting them) and
// returns dL/d(input). Both return references to buffers the layer owns and
// reuses: once the batch size is known, no layer allocates. The input passed
// to forward must stay alive and unchanged until the matching backward.
//
// Shapes: dense input is N×F, image input N×C×H×W; the first dimension is
// always the batch.

#include <memory>
#include <optional>
#include <string>
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
class Layer {
 public:
  virtual ~Layer() = default;

  // The textbook name: "Linear", "ReLU", ...
  virtual std::string type() const = 0;
  // The layer in the model-spec grammar ("linear:100", "relu"), from which a
  // saved model is rebuilt.
  virtual std::string spec() const = 0;
  // The shape of one output sample for one input sample (batch dimension left out);
  // throws std::invalid_argument when the layer cannot take that input.
  virtual Shape output_shape(const Shape& input_sample) const = 0;

  virtual const Tensor<T>& forward(const Tensor<T>& x) = 0;
  virtual const Tensor<T>& backward(const Tensor<T>& dy) = 0;

  virtual std::vector<Parameter<T>> parameters() { return {}; }
  // Sets the weights with the initialiser (biases to zero). No-op for layers without weights.
  virtual void initialize(const Initializer& /*init*/, Rng& /*rng*/) {}
  // Tensors that are saved with the model but not learnt (BatchNorm's running statistics).
  virtual std::vector<std::pair<std::string, Tensor<T>*>> buffers() { return {}; }
  // Integers saved with the model, PyTorch's int64 buffers (BatchNorm's num_batches_tracked).
  virtual std::vector<std::pair<std::string, int64_t*>> integer_buffers() { return {}; }

  // False for layers whose gradient is zero almost everywhere (Step): training through them is an error.
  virtual bool differentiable() const { return true; }

  // A per-layer initialiser that Sequential::initialize uses instead of the model's
  // ("linear:100:init=xavier-normal" in a model spec).
  void set_initializer(const Initializer& init) { initializer_ = init; }
  const std::optional<Initializer>& initializer() const { return initializer_; }

  void set_training(bool training) { training_ = training; }
  bool training() const { return training_; }
  // The first layer of a model need not compute dL/d(input): nothing uses it.
  void set_needs_input_grad(bool needs) { needs_input_grad_ = needs; }
  bool needs_input_grad() const { return needs_input_grad_; }

 protected:
  bool training_ = true;
  bool needs_input_grad_ = true;
  std::optional<Initializer> initializer_;
};

template <typename T>
using LayerPtr = std::unique_ptr<Layer<T>>;

}  // namespace nnlab
