// The 2-D toy datasets: their shapes and classes, the geometry that defines each, and seeds.

#include "nnlab/data/toy_datasets.h"

#include <gtest/gtest.h>

#include <cmath>

#include "nnlab/data/data_source.h"

namespace nnlab::test {
namespace {

TEST(ToyDatasets, ShapesClassesAndBalance) {
  for (const std::string& name : toy_dataset_names()) {
    const Dataset d = make_toy_dataset(name, {.samples = 300});
    ASSERT_EQ(d.size(), 300) << name;
    if (name == "sine") {
      EXPECT_FALSE(d.classification());
      EXPECT_EQ(d.x.shape(), (Shape{300, 1}));
      continue;
    }
    EXPECT_EQ(d.x.shape(), (Shape{300, 2})) << name;
    std::vector<int> counts(static_cast<size_t>(d.num_classes), 0);
    for (float y : d.y) counts[static_cast<size_t>(y)] += 1;
    for (int c : counts) EXPECT_EQ(c, 300 / d.num_classes) << name;
  }
}

TEST(ToyDatasets, TheGeometryDefinesTheClasses) {
  // Without noise: circles' class 0 lies within radius 0.4 and class 1 beyond 0.6; xor's class is
  // whether the signs differ; sine's target is sin(x).
  const Dataset circles = make_toy_dataset("circles", {.samples = 200, .noise = 0});
  for (int64_t i = 0; i < circles.size(); ++i) {
    const double r = std::hypot(circles.x.row(i)[0], circles.x.row(i)[1]);
    EXPECT_TRUE(circles.y[i] == 0 ? r <= 0.4 + 1e-6 : r >= 0.6 - 1e-6) << i;
  }
  const Dataset xor_data = make_toy_dataset("xor", {.samples = 200, .noise = 0});
  for (int64_t i = 0; i < xor_data.size(); ++i) {
    EXPECT_EQ(xor_data.y[i], (xor_data.x.row(i)[0] > 0) == (xor_data.x.row(i)[1] > 0) ? 0.0f : 1.0f);
  }
  const Dataset sine = make_toy_dataset("sine", {.samples = 50, .noise = 0});
  for (int64_t i = 0; i < sine.size(); ++i) EXPECT_NEAR(sine.y[i], std::sin(sine.x[i]), 1e-6);
}

TEST(ToyDatasets, SeededAndChecked) {
  const Dataset a = make_toy_dataset("spirals", {.seed = 4}), b = make_toy_dataset("spirals", {.seed = 4});
  for (int64_t i = 0; i < a.x.size(); ++i) ASSERT_EQ(a.x[i], b.x[i]);
  EXPECT_NE(make_toy_dataset("spirals", {.seed = 5}).x[0], a.x[0]);
  EXPECT_THROW(make_toy_dataset("moons"), std::invalid_argument);
  EXPECT_THROW(make_toy_dataset("xor", {.samples = 2}), std::invalid_argument);
  EXPECT_THROW(make_toy_dataset("xor", {.noise = -1}), std::invalid_argument);
  // As --data: 1,000 training points and 250 test points, hints of their own.
  const LoadedData d = load_data("spirals");
  EXPECT_EQ(d.kind, "toy");
  EXPECT_EQ(d.split.train.size(), 1000);
  EXPECT_EQ(d.split.test.size(), 250);
  EXPECT_EQ(d.hints.lr, 0.01);
}

}  // namespace
}  // namespace nnlab::test
