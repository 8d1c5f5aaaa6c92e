#include "nnlab/experiments/decision_boundary.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "nnlab/kernels/threads.h"

namespace nnlab {
namespace {

BoundarySettings quick() {
  BoundarySettings s;
  s.epochs = 12;
  s.resolution = 20;
  return s;
}

TEST(DecisionBoundary, XorNeedsAHiddenLayer) {
  const ThreadScope threads(1);
  const auto models = boundary_models();
  ASSERT_EQ(models.size(), 3u);
  const BoundaryStudy linear = learn_boundary("xor", models[0], quick());
  const BoundaryStudy deep = learn_boundary("xor", models[2], quick());
  EXPECT_EQ(linear.spec, "linear:2");
  EXPECT_EQ(deep.spec, "linear:64,relu,linear:64,relu,linear:2");
  // A straight line gets about half of XOR's quadrants wrong; two layers get nearly all right.
  EXPECT_LT(linear.test_metrics.accuracy, 0.75);
  EXPECT_GT(deep.test_metrics.accuracy, 0.9);
  EXPECT_EQ(deep.test.size(), 250);
  ASSERT_EQ(deep.test_correct.size(), 250u);
  int correct = 0;
  for (const bool c : deep.test_correct) correct += c;
  EXPECT_NEAR(correct / 250.0, deep.test_metrics.accuracy, 1e-9);
}

TEST(DecisionBoundary, MapsTheBoxAroundThePointsAfterEachSnapshotEpoch) {
  const ThreadScope threads(1);
  BoundarySettings s = quick();
  s.snapshot_epochs = {1, 4};
  const BoundaryStudy study = learn_boundary("blobs", boundary_models()[1], s);
  EXPECT_EQ(study.classes, 3);
  ASSERT_EQ(study.snapshots.size(), 3u);
  EXPECT_EQ(study.snapshots[0].epoch, 1);
  EXPECT_EQ(study.snapshots[1].epoch, 4);
  EXPECT_EQ(study.snapshots[2].epoch, 12);
  for (const auto& map : study.snapshots) {
    ASSERT_EQ(map.probabilities.size(), 21u * 21u * 3u);
    for (size_t i = 0; i < map.probabilities.size(); i += 3) {
      EXPECT_NEAR(map.probabilities[i] + map.probabilities[i + 1] + map.probabilities[i + 2], 1.0, 1e-6);
    }
  }
  EXPECT_NE(study.snapshots[0].probabilities, study.snapshots[2].probabilities);
  for (int64_t i = 0; i < study.test.x.size(); ++i) {
    EXPECT_GT(study.test.x[i], study.x_min);
    EXPECT_LT(study.test.x[i], study.x_max);
  }
  EXPECT_GT(study.test_metrics.accuracy, 0.85);
}

TEST(DecisionBoundary, SameSeedSameMap) {
  const ThreadScope threads(1);
  const BoundaryStudy a = learn_boundary("circles", boundary_models()[1], quick());
  const BoundaryStudy b = learn_boundary("circles", boundary_models()[1], quick());
  EXPECT_EQ(a.snapshots.back().probabilities, b.snapshots.back().probabilities);
}

TEST(DecisionBoundary, RefusesDataThatIsNotATwoDimensionalClassification) {
  EXPECT_THROW(learn_boundary("sine", boundary_models()[0], quick()), std::invalid_argument);
  EXPECT_THROW(learn_boundary("moons", boundary_models()[0], quick()), std::invalid_argument);
  BoundarySettings s = quick();
  s.epochs = 0;
  EXPECT_THROW(learn_boundary("xor", boundary_models()[0], s), std::invalid_argument);
}

}  // namespace
}  // namespace nnlab
