#pragma once
// Regression beside classification: what a network predicts is decided by its output layer
// and its loss, not by its hidden layers. One MLP (1 input, two hidden ReLU layers) learns
// the noisy sine y = sin(x) + noise twice:
//   - regression: one identity output and the mean squared error; it predicts a number, and
//     its curve follows sin(x) through the noise;
//   - classification: two outputs, softmax and cross-entropy, on the labels "y above 0" and
//     "y below 0"; it predicts a probability, a step from 0 to 1 where sin(x) crosses zero.
// (Chapter 3 of "Deep Learning from Scratch": identity for regression, softmax for
// classification.)

#include <cstdint>
#include <string>
#include <vector>

#include "nnlab/data/dataset.h"
#include "nnlab/train/evaluate.h"

namespace nnlab {

struct RegressionSettings {
  std::vector<int64_t> hidden = {32, 32};
  int epochs = 60;
  int64_t batch_size = 16;
  double lr = 0.01;  // Adam, cosine schedule
  int64_t train_points = 400;
  int64_t test_points = 200;
  double noise = 0.2;
  int curve_points = 121;                     // x values at which the curves are drawn
  std::vector<int> snapshot_epochs = {1, 5};  // curves drawn after these epochs and the last
  uint64_t seed = 0;                          // training points (test points: seed + 1) and the run
};

// A network's outputs along the x axis at one moment of training.
struct FitCurve {
  int epoch = 0;
  std::vector<double> ys;  // regression: the predicted value; classification: P(y above 0)
};

struct HeadStudy {
  std::string task;  // "regression" or "classification"
  std::string spec;  // "linear:32,relu,linear:32,relu,linear:1"
  std::string loss;  // "mse" or "cross-entropy"
  std::vector<FitCurve> curves;
  std::vector<double> train_loss, test_loss;  // per epoch
  Metrics test;
};

struct RegressionStudy {
  Dataset train, test;     // the noisy sine: x → y (regression targets)
  std::vector<double> xs;  // where the curves are drawn, over the points' range
  HeadStudy regression, classification;
};

// The labels of the classification: 1 where the target is above 0, else 0.
Dataset above_zero_labels(const Dataset& regression);

// Both trainings, each from Rng(seed), on the same points. Throws std::invalid_argument for
// epochs below 1, fewer than 2 curve points or fewer than 4 training points.
RegressionStudy learn_regression(const RegressionSettings& settings);

}  // namespace nnlab
