#pragma once
// What hidden layers buy: the same 2-D toy data (circles, XOR, spirals, blobs) learned by
// networks of growing depth, and the boundary each one draws. A network without a hidden
// layer (softmax regression) cuts the plane with straight lines only, so it cannot separate
// a disc from the ring around it, nor XOR's quadrants; one hidden layer of ReLUs bends the
// boundary into a polygon; two wide layers fold it around the spirals. The pictures are the
// ones TensorFlow Playground draws live.

#include <cstdint>
#include <string>
#include <vector>

#include "nnlab/data/dataset.h"
#include "nnlab/train/evaluate.h"

namespace nnlab {

// One network to compare, by its hidden layers: {} is no hidden layer.
struct BoundaryModel {
  std::string label;            // "no hidden layer"
  std::vector<int64_t> hidden;  // widths of the hidden ReLU layers
};

// Adam at 0.01 under a cosine schedule, batch 16: every toy is learned in seconds.
struct BoundarySettings {
  int epochs = 30;
  int64_t batch_size = 16;
  double lr = 0.01;
  int64_t train_points = 1000;
  int64_t test_points = 250;
  double noise = 0.1;
  int resolution = 60;                 // grid cells per side of the map
  std::vector<int> snapshot_epochs{};  // also sample the map after these epochs
  uint64_t seed = 0;                   // the training points (the test points use seed + 1) and the run
};

// The class probabilities over the plane at one moment of training.
struct BoundaryMap {
  int epoch = 0;
  std::vector<double> probabilities;  // (resolution + 1)² × classes, as report::DecisionMap wants them
};

struct BoundaryStudy {
  std::string dataset;
  BoundaryModel model;
  std::string spec;  // the network trained, e.g. "linear:8,relu,linear:2"
  int classes = 0;
  int resolution = 0;
  double x_min = 0, x_max = 0, y_min = 0, y_max = 0;  // the box mapped
  Dataset test;                                       // the test points
  std::vector<bool> test_correct;                     // per test point
  Metrics train_metrics, test_metrics;
  std::vector<BoundaryMap> snapshots;  // after each snapshot epoch, then the final map
  double seconds = 0;
};

// The three depths compared: no hidden layer, 1 hidden layer of 8, 2 hidden layers of 64.
std::vector<BoundaryModel> boundary_models();
// The classification toys, in the order they are drawn: circles, xor, spirals, blobs.
std::vector<std::string> boundary_datasets();

// Trains `model` on the toy `dataset` and maps what it learned. Throws std::invalid_argument
// for a dataset that is not a 2-D classification toy, epochs below 1 or a resolution below 2.
BoundaryStudy learn_boundary(const std::string& dataset, const BoundaryModel& model, const BoundarySettings& settings);

}  // namespace nnlab
