#pragma once
// The size of an optimizer step relative to the weights, ‖Δw‖/‖w‖ per parameter. Around 1e-3
// is the rule of thumb for a healthy learning rate (cs231n); far above, the step throws the
// weights about; far below, they hardly move.
//
//   ratio.bind(model.parameters());  // once: allocates the snapshot buffers
//   ratio.snapshot();                // before the optimizer step (Callback::on_gradients)
//   optimizer.step();
//   ratio.measure();                 // after it (Callback::on_step_end); ratios() holds the result

#include <span>
#include <vector>

#include "nnlab/layers/layer.h"

namespace nnlab::diagnostics {

class UpdateRatio {
 public:
  void bind(const std::vector<Parameter<float>>& parameters);
  void snapshot();
  // Fills ratios() (NaN for a parameter whose weights are all zero) and value_norms() (‖w‖ before the step).
  void measure();
  const std::vector<double>& ratios() const { return ratios_; }
  const std::vector<double>& value_norms() const { return value_norms_; }

 private:
  std::vector<Tensor<float>*> values_;
  std::vector<std::vector<float>> before_;
  std::vector<double> ratios_;
  std::vector<double> value_norms_;
};

// The Euclidean norm, accumulated in double.
double l2_norm(std::span<const float> values);

}  // namespace nnlab::diagnostics
