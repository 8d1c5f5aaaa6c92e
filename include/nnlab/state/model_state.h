#pragma once
// A model's whole state as a StateDict: parameters and buffers under their dotted
// names ("3.body.0.weight", "1.running_mean"), the integer buffers ("1.num_batches_tracked")
// and the random generators of layers that draw while training ("4.rng.engine" for
// Dropout), so that a checkpoint restores the model exactly, masks to come included.

#include "nnlab/model/module.h"
#include "nnlab/state/state_dict.h"

namespace nnlab {

template <typename T>
StateDict model_state_dict(Module<T>& model);

// Takes exactly the entries model_state_dict gives for this model; throws
// std::runtime_error naming the first missing, unexpected or misshapen entry, in which
// case nothing has been changed.
template <typename T>
void load_model_state_dict(Module<T>& model, const StateDict& state);

}  // namespace nnlab
