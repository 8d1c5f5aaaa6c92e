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
//
// The state dict, in PyTorch's names where PyTorch has them:
//   "type"                          the optimizer's name ("Adam"), as U8 bytes
//   "param_groups.0.lr"             F64, the current learning rate
//   "param_groups.0.step"           I64, finished steps (PyTorch keeps one per parameter)
//   "param_groups.0.params"         I64 [n], the parameter indices 0 … n−1
//   "param_groups.0.weight_decay"   F64, L2 λ (0 without); "param_groups.0.l1_weight_decay", L1 λ
//   "param_groups.0.<hyperparameter>"  F64: momentum, nesterov (0/1), lr_decay, alpha, beta1, beta2, eps
//   "state.<i>.<buffer>"            F32 or F64 of parameter i's shape: momentum_buffer
//                                   (Momentum, Nesterov), sum (AdaGrad), square_avg (RMSProp),
//                                   exp_avg and exp_avg_sq (Adam, AdamW)
// Loading checks the type, the parameter count, every hyperparameter (a resumed run
// with another β2 would not be the same run) and every buffer's shape, naming the
// first mismatch, and changes nothing when one fails.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "nnlab/layers/layer.h"
#include "nnlab/state/stateful.h"

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
class Optimizer : public Stateful {
 public:
  Optimizer(std::vector<Parameter<T>> parameters, double lr, WeightDecay decay = {});
  // The per-parameter state is registered by address: a copy would point at the original's.
  Optimizer(const Optimizer&) = delete;
  Optimizer& operator=(const Optimizer&) = delete;

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

  StateDict state_dict() const final;
  void load_state_dict(const StateDict& state) final;

 protected:
  // Updates parameter `index` from gradient `grad` (weight decay already added).
  virtual void update(size_t index, Tensor<T>& value, const Tensor<T>& grad) = 0;
  // Whether step() should add the coupled weight-decay term to the gradient.
  virtual bool couples_weight_decay() const { return true; }
  // The hyperparameters besides lr and weight decay, by PyTorch's names, for the state dict.
  virtual std::vector<std::pair<std::string, double>> hyperparameters() const { return {}; }
  // Registers per-parameter state (one tensor per parameter index) under `key`
  // ("exp_avg"), for the state dict; `tensors` must live as long as the optimizer.
  void register_state(const std::string& key, std::vector<Tensor<T>>& tensors);

  std::vector<Parameter<T>> parameters_;
  double lr_;
  WeightDecay decay_;
  int64_t steps_ = 0;

 private:
  std::vector<std::pair<std::string, std::vector<Tensor<T>>*>> state_;
};

}  // namespace nnlab
