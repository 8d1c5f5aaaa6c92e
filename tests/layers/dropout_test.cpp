#include "nnlab/layers/dropout.h"

#include <cmath>
#include <optional>

#include "layers/layer_checks.h"
#include "nnlab/kernels/threads.h"
#include "nnlab/model/model_spec.h"

namespace nnlab::test {

namespace {

Tensor<float> random_input(const Shape& shape, uint64_t seed) {
  Rng rng(seed);
  Tensor<float> x(shape);
  for (float& v : x) v = static_cast<float>(rng.uniform(0.5, 2.0));  // never 0, so y = 0 means dropped
  return x;
}

}  // namespace

TEST(Dropout, EvalIsExactlyTheIdentity) {
  Dropout<float> layer(0.5);
  layer.set_training(false);
  const Tensor<float> x = random_input(Shape{4, 10}, 1);
  const Tensor<float> dy = random_input(Shape{4, 10}, 2);
  EXPECT_EQ(&layer.forward(x), &x);
  EXPECT_EQ(&layer.backward(dy), &dy);
}

TEST(Dropout, KeepsAboutOneMinusPAndScalesTheKeptOnes) {
  for (const double p : {0.1, 0.5, 0.8}) {
    Dropout<float> layer(p, /*seed=*/3);
    const Tensor<float> x = random_input(Shape{100, 1000}, 4);
    const Tensor<float>& y = layer.forward(x);
    const float scale = static_cast<float>(1.0 / (1.0 - p));
    int64_t kept = 0;
    for (int64_t i = 0; i < x.size(); ++i) {
      if (y[i] != 0.0f) {
        ++kept;
        ASSERT_EQ(y[i], x[i] * scale) << i;
      }
    }
    EXPECT_NEAR(static_cast<double>(kept) / static_cast<double>(x.size()), 1.0 - p, 0.01) << "p " << p;
  }
}

TEST(Dropout, KeepsTheExpectedValue) {
  Dropout<double> layer(0.3, 5);
  const Tensor<double> x(Shape{200, 500}, 1.0);
  const Tensor<double>& y = layer.forward(x);
  double sum = 0;
  for (double v : y) sum += v;
  EXPECT_NEAR(sum / static_cast<double>(y.size()), 1.0, 0.01);
}

TEST(Dropout, BackwardUsesTheSameMask) {
  Dropout<float> layer(0.4, 6);
  const Tensor<float> x = random_input(Shape{8, 3, 5, 5}, 7);
  const Tensor<float> dy = random_input(x.shape(), 8);
  const Tensor<float> y = layer.forward(x);
  const Tensor<float>& dx = layer.backward(dy);
  ASSERT_EQ(dx.shape(), x.shape());
  const float scale = static_cast<float>(1.0 / 0.6);
  for (int64_t i = 0; i < x.size(); ++i) {
    EXPECT_EQ(dx[i], y[i] == 0.0f ? 0.0f : dy[i] * scale) << i;
    EXPECT_EQ(layer.mask()[i], y[i] == 0.0f ? 0.0f : scale) << i;
  }
}

TEST(Dropout, SameSeedSameMaskOtherSeedOtherMask) {
  const Tensor<float> x = random_input(Shape{50, 40}, 10);
  auto mask_after_initialize = [&](uint64_t seed) {
    Dropout<float> layer(0.5);
    Rng rng(seed);
    layer.initialize(Initializer::zeros(), rng);
    layer.forward(x);
    return layer.mask();
  };
  auto differences = [](const Tensor<float>& a, const Tensor<float>& b) {
    int64_t count = 0;
    for (int64_t i = 0; i < a.size(); ++i) count += a[i] != b[i];
    return count;
  };
  const Tensor<float> a = mask_after_initialize(11);
  EXPECT_EQ(differences(a, mask_after_initialize(11)), 0);
  // Two independent masks with p = 0.5 differ in about half the elements.
  EXPECT_GT(differences(a, mask_after_initialize(12)), x.size() / 3);

  // Successive steps draw new masks.
  Dropout<float> layer(0.5, 11);
  layer.forward(x);
  const Tensor<float> first = layer.mask();
  layer.forward(x);
  EXPECT_GT(differences(first, layer.mask()), x.size() / 3);
}

TEST(Dropout, MaskDoesNotDependOnTheThreadCount) {
  const Tensor<float> x = random_input(Shape{100, 1000}, 13);
  Dropout<float> one(0.5, 14), two(0.5, 14);
  std::optional<ThreadScope> threads(1);
  const Tensor<float> a = one.forward(x);
  threads.emplace(2);
  const Tensor<float>& b = two.forward(x);
  threads.reset();
  for (int64_t i = 0; i < x.size(); ++i) ASSERT_EQ(a[i], b[i]) << i;
}

TEST(Dropout, SeededModelInitializationMakesRunsRepeatable) {
  auto run = [](uint64_t seed) {
    Sequential<float> model = build_model<float>("linear:64,relu,dropout:0.5,linear:3", Shape{8});
    Rng rng(seed);
    model.initialize(Initializer::he_normal(), rng);
    const Tensor<float> x = random_input(Shape{16, 8}, 15);
    model.forward(x);
    return model.forward(x);  // the second step's mask
  };
  const Tensor<float> a = run(21), b = run(21), c = run(22);
  for (int64_t i = 0; i < a.size(); ++i) ASSERT_EQ(a[i], b[i]);
  bool differs = false;
  for (int64_t i = 0; i < a.size(); ++i) differs = differs || a[i] != c[i];
  EXPECT_TRUE(differs);
}

TEST(Dropout, ZeroProbabilityIsTheIdentity) {
  Dropout<float> layer(0.0);
  const Tensor<float> x = random_input(Shape{3, 4}, 16);
  EXPECT_EQ(&layer.forward(x), &x);
}

TEST(Dropout, RejectsProbabilitiesOutsideZeroToOne) {
  EXPECT_THROW(Dropout<float>(1.0), std::invalid_argument);
  EXPECT_THROW(Dropout<float>(-0.1), std::invalid_argument);
  EXPECT_THROW(Dropout<float>(std::nan("")), std::invalid_argument);
  EXPECT_NO_THROW(Dropout<float>(0.999));
}

TEST(Dropout, RejectsAGradientOfTheWrongShape) {
  Dropout<float> layer(0.5);
  layer.forward(Tensor<float>(Shape{2, 3}, 1.0f));
  EXPECT_THROW(layer.backward(Tensor<float>(Shape{2, 4})), std::invalid_argument);
}

TEST(Dropout, DoesNotReallocateForTheSameOrSmallerBatch) {
  Dropout<float> layer(0.5);
  const Tensor<float> big = random_input(Shape{8, 6}, 17), small = random_input(Shape{4, 6}, 18);
  const float* y = layer.forward(big).data();
  const float* dx = layer.backward(big).data();
  EXPECT_EQ(layer.forward(small).data(), y);
  EXPECT_EQ(layer.backward(small).data(), dx);
  EXPECT_EQ(layer.forward(big).data(), y);
}

TEST(Dropout, FrozenMaskIsReusedUntilUnfrozen) {
  Dropout<double> layer(0.5, 19);
  const Tensor<double> x(Shape{20, 30}, 1.0);
  layer.freeze_mask(true);
  EXPECT_TRUE(layer.mask_frozen());
  const Tensor<double> first = layer.forward(x);  // no mask yet: draws one
  const Tensor<double> x2(Shape{20, 30}, 3.0);
  const Tensor<double>& again = layer.forward(x2);
  int64_t dropped = 0;
  for (int64_t i = 0; i < x.size(); ++i) {
    ASSERT_EQ(again[i], 3.0 * first[i]) << i;
    dropped += first[i] == 0.0;
  }
  EXPECT_NEAR(static_cast<double>(dropped) / static_cast<double>(x.size()), 0.5, 0.1);
  // Another batch size needs another mask: drawn once, then kept.
  const Tensor<double> other(Shape{4, 30}, 1.0);
  const Tensor<double> small = layer.forward(other);
  for (int64_t i = 0; i < other.size(); ++i) ASSERT_EQ(layer.forward(other)[i], small[i]) << i;
  layer.freeze_mask(false);
  const Tensor<double> next = layer.forward(other);
  int64_t differences = 0;
  for (int64_t i = 0; i < other.size(); ++i) differences += next[i] != small[i];
  EXPECT_GT(differences, other.size() / 4);
}

TEST(Dropout, GradientCheckInTrainingModeWithAFrozenMask) {
  Dropout<double> layer(0.4, 20);
  expect_gradients_check(layer, Shape{6, 5});
  EXPECT_TRUE(layer.training());
  EXPECT_FALSE(layer.mask_frozen());  // the check puts the setting back
  int64_t dropped = 0;
  for (double m : layer.mask()) dropped += m == 0.0;
  EXPECT_GT(dropped, 0);  // the check went through a real mask
}

TEST(Dropout, Spec) {
  Sequential<float> model = build_model<float>("linear:5,dropout:0.25", Shape{3});
  EXPECT_EQ(dynamic_cast<const Dropout<float>&>(model[1]).p(), 0.25);
  EXPECT_EQ(model.spec(), "linear:5,dropout:0.25");
  EXPECT_EQ(model.output_shape(), (Shape{5}));
  EXPECT_TRUE(model.buffers().empty());
  const std::string bad = spec_error("linear:5,dropout:1.5", Shape{3});
  EXPECT_NE(bad.find("'dropout:1.5'"), std::string::npos) << bad;
  EXPECT_NE(bad.find("must be in [0, 1)"), std::string::npos) << bad;
  EXPECT_NE(spec_error("dropout", Shape{3}).find("missing drop probability"), std::string::npos);
  EXPECT_NE(spec_error("dropout:half", Shape{3}).find("'half' is not a number"), std::string::npos);
  EXPECT_NE(spec_error("dropout:0.5:0.2", Shape{3}).find("too many values"), std::string::npos);
  EXPECT_NE(spec_error("dropout:0.5:init=he", Shape{3}).find("no weights"), std::string::npos);
}

}  // namespace nnlab::test
