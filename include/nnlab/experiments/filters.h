#pragma once
// What a convolution layer learns: the first layer's filters of SimpleConvNet
// (conv 30@5×5, ReLU, max-pool 2, linear 100, ReLU, linear 10) before and after training
// on MNIST. Before, they are noise; after, most are smooth: edge and blob detectors
// (Figure 7-24 of "Deep Learning from Scratch").
//
// Smoothness is measured by the roughness of a filter: the mean absolute difference
// between horizontally and vertically adjacent weights over the mean absolute weight.
// Independent noise gives about √2 ≈ 1.41 (E|a − b| = √2 · E|a| for normal a, b); a
// smooth ramp or blob much less; a constant filter 0.

#include <cstdint>
#include <span>
#include <vector>

#include "nnlab/data/mnist.h"
#include "nnlab/tensor/tensor.h"
#include "nnlab/train/trainer.h"

namespace nnlab {

// The textbook's settings: weights N(0, 0.01²) in every layer, Adam 0.001, batch 100.
struct FilterSettings {
  int epochs = 5;
  int64_t batch_size = 100;
  double lr = 0.001;
  double init_std = 0.01;
  int64_t train_size = 0;  // the first N training images; 0: all of them
  uint64_t seed = 0;
};

struct FilterStudy {
  std::string spec;        // the model trained
  Tensor<float> before{};  // the first Conv2d's weight, Cout × Cin × KH × KW, at initialisation
  Tensor<float> after{};   // the same after training
  std::vector<double> roughness_before{}, roughness_after{};  // per filter (output channel, all input channels)
  double mean_abs_before = 0;                                 // mean |w| over the layer's weights
  double mean_abs_change = 0;                                 // mean |after − before|
  Metrics test{};
  double seconds = 0;  // training time
};

// The roughness of one filter: channels × height × width weights, row-major, neighbours
// taken within each channel's plane. A filter of zeros is 0. Throws std::invalid_argument
// when the number of weights is not a whole number of height × width planes.
double roughness(std::span<const float> filter, int64_t height, int64_t width);

// Trains SimpleConvNet on data.train and records its first layer's filters before and after.
FilterStudy learn_filters(const TrainTest& data, const FilterSettings& settings);

}  // namespace nnlab
