#include "nnlab/train/optimization_callbacks.h"

#include <stdexcept>
#include <string>

#include "nnlab/optim/clipping.h"

namespace nnlab {

GradientClipper::GradientClipper(Mode mode, double limit) : mode_(mode), limit_(limit) {
  if (!(limit > 0))
    throw std::invalid_argument("the gradient clipping limit must be positive, got " + std::to_string(limit));
}

void GradientClipper::on_gradients(TrainState& state) {
  const auto& parameters = state.optimizer.parameters();
  if (mode_ == Mode::kNorm) {
    clipped_ += clip_grad_norm(parameters, limit_) > limit_;
  } else {
    clip_grad_value(parameters, limit_);
    ++clipped_;
  }
}

}  // namespace nnlab
