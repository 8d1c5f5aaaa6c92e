#pragma once
// Data augmentation of training batches: each image moved at random by up to
// max_shift pixels across and down (zeros shifted in), anew every time it is
// drawn. A network then sees a digit in many positions, which keeps it from
// learning the exact pixels of the training images: on the bundled MNIST sample
// it lifts SimpleConvNet's test accuracy by about half a point
// (docs/experiments.md).
//
// Text form, as `nnlab train --augment` takes it: "none" or "shift:N" (1 ≤ N ≤ 8).

#include <string>
#include <vector>

#include "nnlab/tensor/random.h"
#include "nnlab/tensor/tensor.h"

namespace nnlab {

class Augmentation {
 public:
  static Augmentation none() { return Augmentation(); }
  static Augmentation shift(int max_shift);
  // "none" or "shift:N"; throws std::invalid_argument naming the bad text.
  static Augmentation parse(const std::string& text);

  bool enabled() const { return max_shift_ > 0; }
  int max_shift() const { return max_shift_; }
  std::string str() const;

  // Shifts every image of the batch (N×C×H×W; all channels of an image alike) in
  // place. Throws std::invalid_argument for a batch that is not images. Allocates
  // only on the first call for an image size.
  void apply(Tensor<float>& batch, Rng& rng);

 private:
  int max_shift_ = 0;
  std::vector<float> plane_;  // one channel of one image, copied before it is moved
};

}  // namespace nnlab
