#pragma once
// Statistics of a layer's activations: mean and standard deviation, a histogram over fixed
// bins, and the fraction of dead units. They tell whether signals keep their spread through
// the network (the textbook's activation histograms per initialiser) or saturate and die.

#include <cstdint>
#include <span>
#include <vector>

#include "nnlab/tensor/tensor.h"

namespace nnlab::diagnostics {

struct Moments {
  double mean = 0;
  double std = 0;  // population standard deviation (divided by n), as for a batch of activations
};

// Mean and standard deviation in double precision (two passes: no cancellation). Zeros for no values.
Moments moments(std::span<const float> values);

// Equal-width bins over [lo, hi] (hi itself in the last bin); values outside the range or not
// finite are counted apart, not piled into the edge bins.
struct BinnedValues {
  double lo = 0;
  double hi = 1;
  std::vector<double> counts;
  int64_t outside = 0;
};
// Throws std::invalid_argument for bins < 1 or an empty range (hi <= lo).
BinnedValues bin_values(std::span<const float> values, double lo, double hi, int bins);

// The share of units that are zero (or below) for every sample of the batch: a unit is one
// feature of a dense N×F output, one (channel, position) of an image output N×C×H×W. Such a
// ReLU unit passes no gradient for this batch; one that stays so for every batch has died.
double dead_unit_fraction(const Tensor<float>& activations);

// The share of outputs of a saturating activation in the range where its slope is under a fifth
// of its peak: sigmoid outputs outside [0.05, 0.95], tanh outputs outside [-0.9, 0.9]. Gradients
// barely pass such units.
double sigmoid_saturated_fraction(std::span<const float> outputs);
double tanh_saturated_fraction(std::span<const float> outputs);

}  // namespace nnlab::diagnostics
