#pragma once
// Training the same network several ways on the same batches, for the
// optimizer and initialisation comparisons on MNIST.
//
// Every run starts from the same seed: the same batches in the same order and,
// when the initialiser is the same, the same initial weights. Only the thing
// compared differs.

#include <string>
#include <vector>

#include "nnlab/data/mnist.h"
#include "nnlab/init/initializer.h"
#include "nnlab/optim/factory.h"

namespace nnlab {

struct TrainingRun {
  std::string label;           // "Adam"
  OptimizerOptions optimizer;  // what trains it
  Initializer init = Initializer::he_normal();
};

struct TrainingOutcome {
  std::string label;
  std::string optimizer;         // describe(options)
  std::string init;              // Initializer::str()
  std::vector<float> step_loss;  // every iteration
  double final_loss = 0;         // mean loss over the last 100 iterations (the textbook's measure)
  double test_accuracy = 0;
  double seconds = 0;
  std::string failure;           // non-empty when training diverged: the message
};

struct ComparisonSettings {
  std::string model = "linear:100,relu,linear:100,relu,linear:100,relu,linear:100,relu,linear:10";
  int64_t iterations = 2000;
  int64_t batch_size = 128;
  uint64_t seed = 0;
};

// Trains one fresh model per run on data.train and measures it on data.test.
std::vector<TrainingOutcome> compare_training(const TrainTest& data, const ComparisonSettings& settings,
                                              const std::vector<TrainingRun>& runs);

// The textbook's optimizer comparison: SGD 0.01, Momentum 0.01/0.9, Nesterov 0.01/0.9,
// AdaGrad 0.01, RMSProp 0.01, Adam 0.001, all with He initialisation.
std::vector<TrainingRun> textbook_optimizer_runs();
// The textbook's initialisation comparison with SGD 0.01: std 0.01, Xavier, He.
std::vector<TrainingRun> textbook_init_runs();

// A moving average of the loss curve (window w, centred at the end), for charts.
std::vector<double> smooth(const std::vector<float>& values, int window);

}  // namespace nnlab
