#pragma once
// A layer is a Module without children: Linear, Conv2d, ReLU, BatchNorm, ...
// (the contract is in nnlab/model/module.h).

#include "nnlab/model/module.h"

namespace nnlab {

template <typename T>
using Layer = Module<T>;

template <typename T>
using LayerPtr = std::unique_ptr<Module<T>>;

}  // namespace nnlab
