#pragma once
// A copy of a model for another thread: the same layers, parameters, buffers, generators and
// mode, and its own working buffers (every layer's forward writes into buffers it owns, so
// two threads must not run forward on one model object).
//
//   Sequential<float> copy = clone_model(model);   // e.g. one per inference thread

#include "nnlab/model/sequential.h"

namespace nnlab {

template <typename T>
Sequential<T> clone_model(const Sequential<T>& model);

}  // namespace nnlab
