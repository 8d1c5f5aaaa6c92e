#pragma once
// Optimizers by name, for the command line and experiments.
//
// Names and the options each one reads (defaults are PyTorch's unless noted):
//   "sgd"       lr
//   "momentum"  lr, momentum (0.9; PyTorch's SGD default is 0)
//   "nesterov"  lr, momentum (0.9)
//   "adagrad"   lr, eps (1e-10)
//   "rmsprop"   lr, alpha (0.99), eps (1e-8)
//   "adam"      lr, beta1 (0.9), beta2 (0.999), eps (1e-8)
//   "adamw"     lr, beta1 (0.9), beta2 (0.999), eps (1e-8); decoupled weight decay,
//               λ = 0.01 when weight_decay is left at WeightDecay::none()
//               (pass WeightDecay::l2(0) for none)
// weight_decay applies to every optimizer (coupled into the gradient, see
// optimizer.h; decoupled for adamw). lr defaults to 0.1 for every name: a good
// start for SGD, large for the adaptive ones (PyTorch uses 0.01 for AdaGrad and
// RMSProp, 0.001 for Adam and AdamW).

#include <memory>
#include <string>
#include <vector>

#include "nnlab/optim/optimizer.h"

namespace nnlab {

struct OptimizerOptions {
  std::string name = "sgd";
  double lr = 0.1;
  WeightDecay weight_decay;
  double momentum = 0.9;  // momentum, nesterov
  double beta1 = 0.9;     // adam, adamw
  double beta2 = 0.999;   // adam, adamw
  double eps = 0.0;       // adagrad, rmsprop, adam, adamw; <= 0 means the optimizer's default
  double alpha = 0.99;    // rmsprop
};

// Throws std::invalid_argument for an unknown name, listing the known ones, or a
// hyperparameter out of range, naming it.
template <typename T>
std::unique_ptr<Optimizer<T>> make_optimizer(const OptimizerOptions& options, std::vector<Parameter<T>> parameters);

const std::vector<std::string>& optimizer_names();

// The optimizer and the hyperparameters it uses, defaults resolved, for logs:
// "adam(lr=0.001, beta1=0.9, beta2=0.999, eps=1e-08, weight_decay=none)".
// Throws std::invalid_argument for an unknown name.
std::string describe(const OptimizerOptions& options);

}  // namespace nnlab
