#pragma once
// Losses by the names the command line and model files use:
//   cross-entropy   softmax + cross-entropy, for classification (softmax_cross_entropy.h)
//   mse             mean squared error (mean_squared_error.h)
//   mae             mean absolute error (mean_absolute_error.h)
//   huber[:DELTA]   Huber loss, δ = 1 unless given (huber.h)

#include <memory>
#include <string>

#include "nnlab/losses/loss.h"

namespace nnlab {

// Throws std::invalid_argument naming the unknown loss and the known ones.
template <typename T>
std::unique_ptr<Loss<T>> make_loss(const std::string& spec);

// Whether the loss is for regression (an output of values, not of class scores).
bool regression_loss(const std::string& spec);

// "cross-entropy, mse, mae, huber[:DELTA]"
std::string loss_names();

}  // namespace nnlab
