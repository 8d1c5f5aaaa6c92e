#pragma once
// An in-memory dataset: inputs x (N×...) and targets y, both float.
// Classification: y has shape [N] and holds class indices; num_classes > 0.
// Regression: y has shape N×K and holds target values; num_classes == 0.

#include <cstdint>
#include <string>
#include <vector>

#include "nnlab/tensor/random.h"
#include "nnlab/tensor/tensor.h"

namespace nnlab {

struct Dataset {
  Tensor<float> x;
  Tensor<float> y;
  int num_classes = 0;

  // 0 for an empty Dataset (Tensor::rows() counts a rank-0 tensor as one row).
  int64_t size() const { return x.rank() > 0 ? x.rows() : 0; }
  bool classification() const { return num_classes > 0; }
  Shape sample_shape() const { return x.shape().sample_shape(); }

  // The samples at these indices, in this order.
  Dataset subset(const std::vector<int64_t>& indices) const;
  // Samples [begin, end).
  Dataset slice(int64_t begin, int64_t end) const;
};

struct TrainValidation {
  Dataset train;
  Dataset validation;
};

// Splits off a random share (0 <= share < 1) of `data` as validation data,
// drawn with `rng`; the rest stays for training. Only ever called on training
// data: the test set is never touched.
TrainValidation split_validation(const Dataset& data, double share, Rng& rng);

// Copies samples `indices` of `data` into the preallocated batch tensors
// (resized to the batch; no allocation once they have grown to the batch size).
void gather(const Dataset& data, const int64_t* indices, int64_t count, Tensor<float>& x, Tensor<float>& y);

}  // namespace nnlab
