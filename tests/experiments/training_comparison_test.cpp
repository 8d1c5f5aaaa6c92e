#include "nnlab/experiments/training_comparison.h"

#include "nnlab/experiments/activation_histograms.h"
#include "test_util.h"

namespace nnlab::test {

// A short version of optimizers-mnist: the ordering the textbook shows appears
// within a few hundred iterations.
TEST(TrainingComparison, AdaptiveAndMomentumMethodsBeatSgdOnTheSameBatches) {
  const TrainTest data = load_mnist(default_mnist_folder());
  ComparisonSettings settings;
  settings.iterations = 300;
  std::vector<TrainingRun> runs;
  for (const auto& run : textbook_optimizer_runs()) {
    if (run.label == "SGD" || run.label == "Momentum" || run.label == "Adam") runs.push_back(run);
  }
  const auto outcomes = compare_training(data, settings, runs);
  ASSERT_EQ(outcomes.size(), 3u);
  EXPECT_EQ(outcomes[0].step_loss.size(), 300u);
  // Same initial weights and first batch: the first losses agree exactly.
  EXPECT_EQ(outcomes[0].step_loss[0], outcomes[1].step_loss[0]);
  EXPECT_EQ(outcomes[0].step_loss[0], outcomes[2].step_loss[0]);
  EXPECT_LT(outcomes[1].final_loss, 0.7 * outcomes[0].final_loss);  // Momentum
  EXPECT_LT(outcomes[2].final_loss, 0.7 * outcomes[0].final_loss);  // Adam
  EXPECT_GT(outcomes[2].test_accuracy, 0.9);
}

TEST(TrainingComparison, StdPointZeroOneDoesNotLearnWhileHeDoes) {
  const TrainTest data = load_mnist(default_mnist_folder());
  ComparisonSettings settings;
  settings.iterations = 300;
  const auto outcomes = compare_training(data, settings, textbook_init_runs());
  ASSERT_EQ(outcomes.size(), 3u);
  EXPECT_GT(outcomes[0].final_loss, 2.29);  // ln 10 = 2.3026: no better than chance
  EXPECT_LT(outcomes[2].final_loss, 1.0);
  EXPECT_LT(outcomes[2].final_loss, outcomes[1].final_loss);  // He before Xavier
}

// The textbook's findings on activation histograms (EXPERIMENTS.md).
TEST(ActivationHistograms, ShowWhatTheTextbookShows) {
  const auto studies = activation_histograms({}, {"sigmoid", "relu"});
  auto find = [&](const std::string& activation, const std::string& init) {
    for (const auto& s : studies) {
      if (s.activation == activation && s.init == init) return s;
    }
    throw std::runtime_error("missing study");
  };
  const auto sigmoid_1 = find("sigmoid", "std 1");
  for (const auto& layer : sigmoid_1.layers) EXPECT_GT(layer.saturated, 0.65);  // piled at 0 and 1
  const auto sigmoid_small = find("sigmoid", "std 0.01");
  for (const auto& layer : sigmoid_small.layers) {
    EXPECT_NEAR(layer.mean, 0.5, 0.01);  // collapsed to 0.5
    EXPECT_LT(layer.std, 0.03);
  }
  const auto sigmoid_xavier = find("sigmoid", "Xavier");
  for (const auto& layer : sigmoid_xavier.layers) {
    EXPECT_GT(layer.std, 0.1);  // spread in every layer
    EXPECT_LT(layer.saturated, 0.05);
  }
  const auto relu_he = find("relu", "He");
  for (const auto& layer : relu_he.layers) EXPECT_NEAR(layer.std, 0.9, 0.2);  // kept in every layer
  const auto relu_small = find("relu", "std 0.01");
  EXPECT_LT(relu_small.layers.back().std, 1e-4);  // vanished
}

}  // namespace nnlab::test
