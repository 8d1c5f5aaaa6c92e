#pragma once
// MNIST from a folder of IDX files (gzip or raw).
//
// If the folder holds the full training set (train-images-idx3-ubyte[.gz] and
// train-labels-idx1-ubyte[.gz]) it is used as training data and the test set
// (t10k-*) as test data. Otherwise the bundled sample split is used: the first
// 8,000 test-set images train, the last 2,000 test.
// Pixels are scaled to [0, 1]; images have shape N×1×28×28, labels [N].

#include <cstdint>
#include <string>

#include "nnlab/data/dataset.h"

namespace nnlab {

struct TrainTest {
  Dataset train;
  Dataset test;
  std::string description;  // e.g. "MNIST sample: 8000 train / 2000 test (data/mnist)"
};

inline constexpr int64_t kSampleTrainSize = 8000;

// A pixel byte (0..255) as the training data holds it: byte / 255, in [0, 1].
// Images of one's own are scaled by the same function, so that they match to the bit.
inline float pixel_from_byte(uint8_t byte) { return static_cast<float>(byte / 255.0); }

// Throws std::runtime_error naming the missing or bad file.
TrainTest load_mnist(const std::string& folder);

// Images and labels from two IDX files: images N×H×W (or N×C×H×W) of bytes, labels N.
// num_classes 0: as many classes as the largest label + 1 (at most kMaxIdxClasses).
inline constexpr int kMaxIdxClasses = 100000;
Dataset load_idx_classification(const std::string& images_path, const std::string& labels_path, int num_classes = 0);

// The data folder nnlab uses when none is given: $NNLAB_DATA, else the bundled sample
// (mnist/ in bundled_data_folder(), data/bundled_data.h).
std::string default_mnist_folder();

}  // namespace nnlab
