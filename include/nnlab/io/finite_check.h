#pragma once
// A loaded model whose weights hold NaN or infinity predicts nonsense without a
// word: every output NaN, or one class for every input. Models loaded to be used
// (eval, predict) are checked first:
//
//   LoadedModel loaded = load_model(path);
//   check_finite_tensors(loaded.model, path);

#include <string>

#include "nnlab/model/module.h"

namespace nnlab {

// Throws std::runtime_error "model PATH: tensor 0.weight holds NaN/Inf values (...)"
// for the first parameter (then buffer), in model order, that holds one.
void check_finite_tensors(Module<float>& model, const std::string& path);

}  // namespace nnlab
