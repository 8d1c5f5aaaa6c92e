#pragma once
// The 2-D toy datasets of TensorFlow Playground and the textbooks, generated from a seed:
//
//   spirals   two interleaved spirals (2 classes): needs a deep enough network
//   circles   a disc inside a ring (2 classes): not linearly separable
//   xor       the four quadrants, opposite ones alike (2 classes): the classic that one layer cannot learn
//   blobs     three Gaussian blobs (3 classes): separable by lines
//   sine      y = sin(x) + noise for x in [-3, 3] (regression, 1 input)
//
// Each point's features lie in about [-1, 1] (sine's x in [-3, 3]); `noise` is the std of the
// Gaussian noise added (0.1 by default, as Playground's "noise 10").

#include <cstdint>
#include <string>
#include <vector>

#include "nnlab/data/dataset.h"

namespace nnlab {

struct ToyOptions {
  int64_t samples = 1000;
  double noise = 0.1;
  uint64_t seed = 0;
};

// The names above, in that order.
const std::vector<std::string>& toy_dataset_names();
bool is_toy_dataset(const std::string& name);

// Throws std::invalid_argument for an unknown name (listing the known ones), fewer than 4
// samples, or a negative noise.
Dataset make_toy_dataset(const std::string& name, const ToyOptions& options = {});

}  // namespace nnlab
