#pragma once
// The optimizer contract.
//
// An optimizer holds the model's parameter list; step() applies one update to
// every parameter from its gradient. State (velocities, moment estimates) is kept
// per parameter index, never by address. Weight decay works the same for every
// optimizer:
//   L2 (coupled, PyTorch's weight_decay):  g ← g + λ·w     (penalty ½·λ·Σw²)
//   L1:                                    g ← g + λ·sign(w) (penalty λ·Σ|w|)
// applied to the parameters marked for decay (weights, not biases). Decoupled
// decay (AdamW) is the optimizer's own business.

#include <cstdint>
#include <string>
#include <vector>

#include "nnlab/layers/layer.h"

namespace nnlab {

struct WeightDecay {
  enum class Kind { kNone, kL2, kL1 };
  Kind kind = Kind::kNone;
  double lambda = 0.0;

  static WeightDecay none() { return {}; }
  static WeightDecay l2(double lambda) { return {Kind::kL2, lambda}; }
  static WeightDecay l1(double lambda) { return {Kind::kL1, lambda}; }
  bool active() const { return kind != Kind::kNone && lambda != 0.0; }
};

template <typename T>
class Optimizer {
 public:
  Optimizer(std::vector<Parameter<T>> parameters, double lr, WeightDecay decay = {});
  virtual ~Optimizer() = default;

  virtual std::string name() const = 0;
  // One update of every parameter from its current gradient.
  void step();

  double lr() const { return lr_; }
  // Schedules change the learning rate between steps.
  void set_lr(double lr);
  int64_t steps() const { return steps_; }
  const WeightDecay& weight_decay() const { return decay_; }
  const std::vector<Parameter<T>>& parameters() const { return parameters_; }
  // The weight-decay penalty to add to the reported loss (0 without decay).
  double penalty() const;

 protected:
  // Updates parameter `index` from gradient `grad` (weight decay already added).
  virtual void update(size_t index, Tensor<T>& value, const Tensor<T>& grad) = 0;
  // Whether step() should add the coupled weight-decay term to the gradient.
  virtual bool couples_weight_decay() const { return true; }

  std::vector<Parameter<T>> parameters_;
  double lr_;
  WeightDecay decay_;
  int64_t steps_ = 0;
};

}  // namespace nnlab
