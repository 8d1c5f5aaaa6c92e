// Shortened versions of the regularisation experiments, asserting the textbook's findings.

#include "nnlab/experiments/regularization.h"

#include <algorithm>
#include <cmath>

#include "test_util.h"

namespace nnlab::test {

TEST(Regularization, DeepMlpSpecPlacesNormalisationAndDropoutAroundEachReLU) {
  EXPECT_EQ(deep_mlp_spec(2, 100, 10), "linear:100,relu,linear:100,relu,linear:10");
  EXPECT_EQ(deep_mlp_spec(2, 8, 3, "batchnorm", 0.2),
            "linear:8,batchnorm,relu,dropout:0.2,linear:8,batchnorm,relu,dropout:0.2,linear:3");
}

TEST(Regularization, LogSpacedMatchesNumpysLogspace) {
  const auto stds = textbook_weight_stds();
  ASSERT_EQ(stds.size(), 16u);
  EXPECT_DOUBLE_EQ(stds.front(), 1.0);
  EXPECT_NEAR(stds.back(), 1e-4, 1e-16);
  EXPECT_NEAR(stds[2], 0.29286445646252357, 1e-12);  // np.logspace(0, -4, 16)[2]
  EXPECT_NEAR(stds[7], 0.013593563908785255, 1e-12);
}

// Without BatchNorm only weights near std 0.3 train; with it small scales train too.
// 15 of the experiment's 20 epochs, 3 of its 16 scales.
TEST(Regularization, BatchNormLearnsWhereThePlainNetworkFails) {
  const TrainTest data = load_mnist(default_mnist_folder());
  const auto all = textbook_weight_stds();
  BatchNormSettings settings;
  settings.epochs = 15;
  const auto curves = batchnorm_comparison(data.train, settings, {all[2], all[7], all[12]});
  ASSERT_EQ(curves.size(), 3u);
  for (const auto& c : curves) {
    ASSERT_EQ(c.plain.size(), 15u);
    ASSERT_EQ(c.batchnorm.size(), 15u);
  }
  // std 0.29: the plain network's good scale.
  EXPECT_GT(curves[0].plain.back(), 0.8);
  EXPECT_GT(curves[0].batchnorm.back(), 0.4);
  // std 0.0136: the plain network's signal vanishes (chance), BatchNorm reaches 100%.
  EXPECT_LT(curves[1].plain.back(), 0.2);
  EXPECT_GT(curves[1].batchnorm.back(), 0.95);
  // std 6e-4: still learning with BatchNorm.
  EXPECT_LT(curves[2].plain.back(), 0.2);
  EXPECT_GT(curves[2].batchnorm.back(), 0.4);
}

// 80 of the experiment's 200 epochs: the unregularised network has memorised the
// 300 images; weight decay holds the training accuracy back more than the test accuracy.
TEST(Regularization, WeightDecayNarrowsTheTrainTestGap) {
  const TrainTest data = load_mnist(default_mnist_folder());
  OverfitSettings settings;
  settings.epochs = 80;
  std::vector<RegularizationRun> runs;
  for (const auto& run : textbook_regularization_runs()) {
    if (run.dropout == 0) runs.push_back(run);
  }
  const auto outcomes = overfit_comparison(data, settings, runs);
  ASSERT_EQ(outcomes.size(), 2u);
  const auto& plain = outcomes[0];
  const auto& decay = outcomes[1];
  ASSERT_EQ(plain.train_accuracy.size(), 80u);
  ASSERT_EQ(plain.test_accuracy.size(), 80u);
  EXPECT_GT(plain.final_train(), 0.95);
  EXPECT_LT(decay.final_train(), plain.final_train());
  EXPECT_GT(plain.gap(), decay.gap() + 0.04) << plain.gap() << " vs " << decay.gap();
  EXPECT_GT(decay.final_test(), 0.6);
  // The same initial weights and batches: the penalty barely matters in the first epoch.
  EXPECT_NEAR(plain.train_accuracy[0], decay.train_accuracy[0], 0.05);
}

// The early-stopped run is the full run cut short, and what it restores is exactly
// the full run's model at the best epoch.
TEST(Regularization, EarlyStoppingRestoresTheBestEpochOfTheSameRun) {
  const TrainTest data = load_mnist(default_mnist_folder());
  EarlyStoppingDemoSettings settings;
  settings.max_epochs = 40;
  settings.patience = 5;
  const EarlyStoppingDemo demo = early_stopping_demo(data, settings);
  ASSERT_EQ(demo.epochs.size(), 40u);
  ASSERT_EQ(demo.test.size(), 40u);
  const History& stopped = demo.stopped;
  ASSERT_GT(stopped.stopped_epoch, 0) << stopped.stop_reason;
  EXPECT_EQ(stopped.stopped_epoch - stopped.best_epoch, 5);
  EXPECT_TRUE(stopped.restored);
  for (size_t i = 0; i < stopped.epochs.size(); ++i) {
    EXPECT_EQ(stopped.epochs[i].val_loss, demo.epochs[i].val_loss) << "epoch " << i + 1;
  }
  const size_t best = static_cast<size_t>(stopped.best_epoch - 1);
  double lowest = INFINITY;
  for (const auto& e : stopped.epochs) lowest = std::min(lowest, e.val_loss);
  EXPECT_EQ(demo.epochs[best].val_loss, lowest);
  EXPECT_EQ(demo.restored_validation.loss, demo.epochs[best].val_loss);
  EXPECT_EQ(demo.restored_test.accuracy, demo.test[best].accuracy);
  EXPECT_EQ(demo.restored_test.loss, demo.test[best].loss);
  // Training on makes the validation and test loss worse: the run overfits.
  EXPECT_GT(demo.epochs.back().val_loss, demo.restored_validation.loss + 0.05);
  EXPECT_GT(demo.final_test.loss, demo.restored_test.loss);
  EXPECT_EQ(demo.train_images + demo.validation_images, settings.train_size);
}

}  // namespace nnlab::test
