#include "nnlab/experiments/filters.h"

#include <cmath>
#include <stdexcept>
#include <vector>

#include "nnlab/tensor/random.h"
#include "test_util.h"

namespace nnlab::test {
namespace {

TEST(RoughnessTest, ByHand) {
  // A ramp along the rows: horizontal neighbours differ by 1, vertical ones by 0;
  // mean difference 20/40 = 0.5 over mean |w| = 2.
  std::vector<float> ramp;
  for (int r = 0; r < 5; ++r) {
    for (int c = 0; c < 5; ++c) ramp.push_back(static_cast<float>(c));
  }
  EXPECT_DOUBLE_EQ(roughness(ramp, 5, 5), 0.25);
  // A checkerboard of ±1: every neighbour differs by 2.
  const std::vector<float> checkerboard = {1, -1, 1, -1, 1, -1, 1, -1, 1};
  EXPECT_DOUBLE_EQ(roughness(checkerboard, 3, 3), 2.0);
  EXPECT_DOUBLE_EQ(roughness(std::vector<float>(25, 0.3f), 5, 5), 0.0);
  EXPECT_DOUBLE_EQ(roughness(std::vector<float>(25, 0.0f), 5, 5), 0.0);
}

TEST(RoughnessTest, ChannelsAreSeparatePlanes) {
  // Two flat 2×2 channels at different levels: no neighbour differs within a plane.
  EXPECT_DOUBLE_EQ(roughness(std::vector<float>{1, 1, 1, 1, 3, 3, 3, 3}, 2, 2), 0.0);
  EXPECT_THROW(roughness(std::vector<float>(7, 1.0f), 2, 2), std::invalid_argument);
  EXPECT_THROW(roughness(std::vector<float>{}, 2, 2), std::invalid_argument);
}

TEST(RoughnessTest, NoiseIsAboutRootTwo) {
  Rng rng(3);
  std::vector<float> noise(200 * 200);
  for (float& v : noise) v = static_cast<float>(0.01 * rng.normal());
  EXPECT_NEAR(roughness(noise, 200, 200), std::sqrt(2.0), 0.02);
}

// A short run on part of the sample: the filters start as noise and are already far
// smoother after one pass over 2,000 images (20 Adam steps).
TEST(LearnFiltersTest, TrainingSmoothsTheFirstLayersFilters) {
  const TrainTest data = load_mnist(default_mnist_folder());
  FilterSettings settings;
  settings.epochs = 1;
  settings.train_size = 2000;
  const FilterStudy study = learn_filters(data, settings);
  EXPECT_EQ(study.spec, "conv:30x5x5,relu,maxpool:2,linear:100,relu,linear:10");
  ASSERT_EQ(study.before.shape(), (Shape{30, 1, 5, 5}));
  ASSERT_EQ(study.after.shape(), (Shape{30, 1, 5, 5}));
  ASSERT_EQ(study.roughness_before.size(), 30u);
  ASSERT_EQ(study.roughness_after.size(), 30u);
  EXPECT_NEAR(study.mean_abs_before, 0.01 * std::sqrt(2 / M_PI), 0.001);  // E|w| for N(0, 0.01²)
  EXPECT_GT(study.mean_abs_change, study.mean_abs_before);
  double before = 0, after = 0;
  for (size_t f = 0; f < 30; ++f) before += study.roughness_before[f], after += study.roughness_after[f];
  EXPECT_NEAR(before / 30, std::sqrt(2.0), 0.2);
  EXPECT_LT(after / 30, 0.75 * before / 30);
  EXPECT_GT(study.test.accuracy, 0.3);  // learning, far from done
}

}  // namespace
}  // namespace nnlab::test
