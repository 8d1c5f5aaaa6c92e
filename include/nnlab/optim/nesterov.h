#pragma once
// Nesterov accelerated gradient, in PyTorch's form (torch.optim.SGD, nesterov=True):
//   v ← μ·v + g        (v starts at 0)
//   w ← w − lr·(g + μ·v)
// The update lives in Momentum (nnlab/optim/momentum.h); this name constructs it
// with the Nesterov flag set.

#include "nnlab/optim/momentum.h"

namespace nnlab {

template <typename T>
class Nesterov final : public Momentum<T> {
 public:
  // momentum in [0, 1).
  Nesterov(std::vector<Parameter<T>> parameters, double lr, double momentum = 0.9, WeightDecay decay = {})
      : Momentum<T>(std::move(parameters), lr, momentum, decay, /*nesterov=*/true) {}
};

}  // namespace nnlab
