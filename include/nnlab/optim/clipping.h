#pragma once
// Gradient clipping, applied between backward and the optimizer step.
//
// clip_grad_norm: the global L2 norm over all gradients, ‖g‖ = √(Σ g²); when
// ‖g‖ + 1e-6 > max_norm every gradient is scaled by max_norm / (‖g‖ + 1e-6), as
// PyTorch's clip_grad_norm_ does (the 1e-6 guards the division and leaves the
// clipped norm just under max_norm). Scaling all gradients by one factor keeps
// their direction, unlike clipping values one by one. A non-finite norm leaves
// the gradients as they are (PyTorch would turn them all into NaN); the caller
// sees it in the returned value.
//
// clip_grad_value: each gradient value clamped to [−limit, limit].
//
// Both take the parameter list as const: the gradients are reached through it.

#include <vector>

#include "nnlab/layers/layer.h"

namespace nnlab {

// Returns the norm before clipping. max_norm must be > 0.
template <typename T>
double clip_grad_norm(const std::vector<Parameter<T>>& parameters, double max_norm);

// limit must be > 0.
template <typename T>
void clip_grad_value(const std::vector<Parameter<T>>& parameters, double limit);

}  // namespace nnlab
