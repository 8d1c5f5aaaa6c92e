// gemm against a plain triple loop in double, over the shapes that exercise
// nnlab's own float kernel (every tile height and edge width, both transposes,
// alpha/beta, the bias, one and two threads) and the OpenBLAS path beside it.

#include "nnlab/kernels/gemm.h"

#include <gtest/gtest.h>
#include <omp.h>

#include <cmath>
#include <limits>
#include <optional>
#include <tuple>
#include <vector>

#include "nnlab/kernels/threads.h"
#include "nnlab/tensor/random.h"

namespace nnlab::test {
namespace {

struct Case {
  Transpose ta, tb;
  int64_t m, n, k;
  float alpha, beta;
  bool bias;
};

std::vector<float> random_values(int64_t count, Rng& rng) {
  std::vector<float> v(static_cast<size_t>(count));
  for (float& x : v) x = static_cast<float>(rng.uniform(-1.0, 1.0));
  return v;
}

// Checks gemm(c) for one case: every element against the double-precision sum.
void expect_gemm_matches(const Case& t, Rng& rng) {
  const auto a = random_values(t.m * t.k, rng);
  const auto b = random_values(t.k * t.n, rng);
  const auto bias = random_values(t.n, rng);
  auto c = random_values(t.m * t.n, rng);
  const auto c_before = c;
  gemm(t.ta, t.tb, t.m, t.n, t.k, t.alpha, a.data(), b.data(), t.beta, c.data(), t.bias ? bias.data() : nullptr);
  const auto at = [&](int64_t i, int64_t p) {
    return static_cast<double>(t.ta == Transpose::kYes ? a[static_cast<size_t>(p * t.m + i)]
                                                       : a[static_cast<size_t>(i * t.k + p)]);
  };
  const auto bt = [&](int64_t p, int64_t j) {
    return static_cast<double>(t.tb == Transpose::kYes ? b[static_cast<size_t>(j * t.k + p)]
                                                       : b[static_cast<size_t>(p * t.n + j)]);
  };
  for (int64_t i = 0; i < t.m; ++i) {
    for (int64_t j = 0; j < t.n; ++j) {
      double sum = 0;
      for (int64_t p = 0; p < t.k; ++p) sum += at(i, p) * bt(p, j);
      const auto index = static_cast<size_t>(i * t.n + j);
      double expected = t.alpha * sum + t.beta * static_cast<double>(c_before[index]);
      if (t.bias) expected += bias[static_cast<size_t>(j)];
      ASSERT_NEAR(c[index], expected, 1e-5 * (1.0 + std::sqrt(static_cast<double>(t.k))))
          << "m=" << t.m << " n=" << t.n << " k=" << t.k << " ta=" << (t.ta == Transpose::kYes)
          << " tb=" << (t.tb == Transpose::kYes) << " at (" << i << ", " << j << ")";
    }
  }
}

class GemmShapes : public ::testing::TestWithParam<int> {
 protected:
  void SetUp() override { threads_.emplace(GetParam()); }
  void TearDown() override { threads_.reset(); }

 private:
  std::optional<ThreadScope> threads_;
};

TEST_P(GemmShapes, MatchTheTripleLoop) {
  Rng rng(7);
  // Widths around the 16- and 48-column edges, heights around the 8-row tiles,
  // the MLP's own shapes, and depths across the 256-deep blocks.
  const std::vector<std::tuple<int64_t, int64_t, int64_t>> sizes{
      {1, 1, 1},      {3, 5, 7},      {8, 16, 16},    {9, 17, 3},      {13, 47, 20},    {17, 48, 31},
      {7, 49, 64},    {33, 60, 5},    {64, 100, 100}, {128, 100, 100}, {100, 100, 128}, {128, 10, 100},
      {10, 100, 128}, {128, 100, 10}, {20, 100, 300}, {37, 97, 513},   {2, 784, 40},    {128, 4, 9}};
  for (const auto& [m, n, k] : sizes) {
    for (const auto ta : {Transpose::kNo, Transpose::kYes}) {
      for (const auto tb : {Transpose::kNo, Transpose::kYes}) {
        expect_gemm_matches({ta, tb, m, n, k, 1.0f, 0.0f, false}, rng);
        expect_gemm_matches({ta, tb, m, n, k, 0.5f, 1.0f, true}, rng);
        expect_gemm_matches({ta, tb, m, n, k, -2.0f, 0.25f, false}, rng);
      }
    }
  }
}

TEST_P(GemmShapes, LargeProductsGoToBlasAndStillMatch) {
  Rng rng(8);
  expect_gemm_matches({Transpose::kNo, Transpose::kYes, 300, 400, 700, 1.0f, 0.0f, true}, rng);
  expect_gemm_matches({Transpose::kYes, Transpose::kNo, 300, 400, 700, 1.0f, 1.0f, false}, rng);
}

INSTANTIATE_TEST_SUITE_P(Threads, GemmShapes, ::testing::Values(1, 2));

TEST(Gemm, BetaZeroIgnoresWhatCHeld) {
  std::vector<float> a{1, 2}, b{3, 4}, c(1, std::numeric_limits<float>::quiet_NaN());
  gemm(Transpose::kNo, Transpose::kNo, 1, 1, 2, 1.0f, a.data(), b.data(), 0.0f, c.data());
  EXPECT_EQ(c[0], 11.0f);
}

TEST(Gemm, EmptyDepthGivesBetaTimesCPlusBias) {
  std::vector<float> c{1, 2, 3, 4}, bias{10, 20};
  gemm(Transpose::kNo, Transpose::kNo, 2, 2, 0, 1.0f, nullptr, nullptr, 2.0f, c.data(), bias.data());
  EXPECT_EQ(c, (std::vector<float>{12, 24, 16, 28}));
}

TEST(Gemm, DoublesWithBias) {
  std::vector<double> a{1, 2, 3, 4}, b{1, 0, 0, 1}, c(4), bias{0.5, -0.5};
  gemm(Transpose::kNo, Transpose::kYes, 2, 2, 2, 1.0, a.data(), b.data(), 0.0, c.data(), bias.data());
  EXPECT_EQ(c, (std::vector<double>{1.5, 1.5, 3.5, 3.5}));
}

TEST(Gemm, InsideAParallelRegionEachThreadComputesItsOwnProduct) {
  // As a convolution does: one product per image, the images split between threads.
  std::optional<ThreadScope> threads(2);
  Rng rng(9);
  const int64_t m = 64, n = 100, k = 100;
  const auto a = random_values(m * k, rng);
  const auto b = random_values(n * k, rng);
  std::vector<std::vector<float>> c(4, std::vector<float>(static_cast<size_t>(m * n)));
#pragma omp parallel for
  for (int image = 0; image < 4; ++image) {
    gemm(Transpose::kNo, Transpose::kYes, m, n, k, 1.0f, a.data(), b.data(), 0.0f, c[image].data());
  }
  // Inside a parallel region each product runs on one thread: so does the expected one. (Outside, a
  // CPU without AVX2, or NNLAB_ISA=generic, takes OpenBLAS's 2-thread SGEMM, whose blocking rounds differently.)
  threads.emplace(1);
  std::vector<float> expected(static_cast<size_t>(m * n));
  gemm(Transpose::kNo, Transpose::kYes, m, n, k, 1.0f, a.data(), b.data(), 0.0f, expected.data());
  for (const auto& result : c) EXPECT_EQ(result, expected);
}

}  // namespace
}  // namespace nnlab::test
