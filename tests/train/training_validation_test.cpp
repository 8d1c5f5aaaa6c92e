// Training with validation data of the caller's own (Python's fit(validation_data=...)): the
// epochs' validation figures are the model's on exactly those samples, and a split asked for
// beside them, or samples of another shape or kind, are refused.

#include <gtest/gtest.h>

#include <stdexcept>

#include "nnlab/data/toy_datasets.h"
#include "nnlab/train/evaluate.h"
#include "nnlab/train/train.h"

namespace nnlab::test {
namespace {

TrainConfig spirals_config() {
  TrainConfig config;
  config.model = "linear:32,relu,linear:32,relu,linear:2";
  config.epochs = 3;
  config.batch_size = 32;
  config.val_split = 0;
  config.threads = 1;
  config.seed = 5;
  return config;
}

TEST(TrainingWithValidationData, ValidatesOnTheGivenSamples) {
  const Dataset train = make_toy_dataset("spirals", {.samples = 400, .seed = 1});
  const Dataset validation = make_toy_dataset("spirals", {.samples = 120, .seed = 2});
  Training training(spirals_config(), train, validation);
  EXPECT_EQ(training.validation_size(), 120);
  EXPECT_EQ(training.train_data().size(), 400);  // nothing split off
  const History history = training.fit();
  ASSERT_EQ(history.epochs.size(), 3u);
  // The last epoch's figures are the trained model's on the given samples.
  const Metrics measured = evaluate(training.model(), training.loss(), validation);
  EXPECT_NEAR(history.epochs.back().val_loss, measured.loss, 1e-6);
  EXPECT_DOUBLE_EQ(history.epochs.back().val_accuracy, measured.accuracy);
}

TEST(TrainingWithValidationData, SameSeedSameRun) {
  const Dataset train = make_toy_dataset("spirals", {.samples = 400, .seed = 1});
  const Dataset validation = make_toy_dataset("spirals", {.samples = 120, .seed = 2});
  Training a(spirals_config(), train, validation), b(spirals_config(), train, validation);
  const History ha = a.fit(), hb = b.fit();
  EXPECT_EQ(ha.step_loss, hb.step_loss);
  EXPECT_EQ(ha.epochs.back().val_loss, hb.epochs.back().val_loss);
}

TEST(TrainingWithValidationData, RefusesASplitBesideThemAndSamplesOfAnotherKind) {
  const Dataset train = make_toy_dataset("spirals", {.samples = 100, .seed = 1});
  const Dataset validation = make_toy_dataset("spirals", {.samples = 50, .seed = 2});
  TrainConfig split = spirals_config();
  split.val_split = 0.1;
  EXPECT_THROW(Training(split, train, validation), std::invalid_argument);
  const Dataset sine = make_toy_dataset("sine", {.samples = 50, .seed = 2});  // values, not classes
  try {
    Training(spirals_config(), train, sine);
    FAIL() << "validation data of another kind was taken";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("validation"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace nnlab::test
