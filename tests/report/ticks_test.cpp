#include "nnlab/report/ticks.h"

#include <gtest/gtest.h>

#include <cmath>

namespace nnlab::report {
namespace {

void expect_ticks(const std::vector<double>& actual, const std::vector<double>& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_NEAR(actual[i], expected[i], 1e-12) << "tick " << i;
}

TEST(TicksTest, NiceStepIsOneTwoOrFiveTimesAPowerOfTen) {
  EXPECT_DOUBLE_EQ(nice_step(0.186), 0.2);
  EXPECT_DOUBLE_EQ(nice_step(0.13), 0.1);
  EXPECT_DOUBLE_EQ(nice_step(4.2), 5);
  EXPECT_DOUBLE_EQ(nice_step(8), 10);
  EXPECT_DOUBLE_EQ(nice_step(2.5e-5), 2e-5);
  EXPECT_DOUBLE_EQ(nice_step(0), 1);
}

TEST(TicksTest, ZeroToPointNineThreeGivesFifthsUpToOne) {
  expect_ticks(nice_ticks(0, 0.93), {0, 0.2, 0.4, 0.6, 0.8, 1.0});
}

TEST(TicksTest, TicksCoverTheRangeAndCarryNoBinaryNoise) {
  const auto ticks = nice_ticks(0.05, 0.31, 5);
  EXPECT_LE(ticks.front(), 0.05);
  EXPECT_GE(ticks.back(), 0.31);
  for (const double t : ticks) EXPECT_EQ(t, std::round(t * 1e6) / 1e6) << t;
  expect_ticks(nice_ticks(-3.2, 7.9, 5), {-4, -2, 0, 2, 4, 6, 8});
}

TEST(TicksTest, EqualEndsAreWidened) {
  const auto ticks = nice_ticks(5, 5);
  ASSERT_GE(ticks.size(), 2u);
  EXPECT_LT(ticks.front(), 5);
  EXPECT_GT(ticks.back(), 5);
}

TEST(TicksTest, LogTicksAreDecades) {
  expect_ticks(log_ticks(1e-4, 1), {1e-4, 1e-3, 1e-2, 1e-1, 1});
  expect_ticks(log_ticks(3e-4, 0.07), {1e-4, 1e-3, 1e-2, 1e-1});
}

TEST(TicksTest, ManyDecadesAreThinnedToEveryOtherOne) {
  const auto ticks = log_ticks(1e-9, 1e3, 8);
  EXPECT_LE(ticks.size(), 8u);
  for (size_t i = 1; i < ticks.size(); ++i) EXPECT_NEAR(std::log10(ticks[i] / ticks[i - 1]), 2, 1e-9);
}

TEST(TicksTest, FormatTickUsesTheStepsDecimals) {
  EXPECT_EQ(format_tick(0.30000000000000004, 0.1), "0.3");
  EXPECT_EQ(format_tick(0.4, 0.2), "0.4");
  EXPECT_EQ(format_tick(1, 0.2), "1.0");
  EXPECT_EQ(format_tick(15, 5), "15");
  EXPECT_EQ(format_tick(-0.05, 0.05), "-0.05");
  EXPECT_EQ(format_tick(-1e-17, 0.1), "0.0");
  EXPECT_EQ(format_tick(2.5e-5, 5e-6), "2.5e-5");
}

TEST(TicksTest, DecadesAreWrittenWithSuperscripts) {
  EXPECT_EQ(format_decade(-3), "10⁻³");
  EXPECT_EQ(format_decade(0), "10⁰");
  EXPECT_EQ(format_decade(12), "10¹²");
}

TEST(TicksTest, FormatNumberIsShort) {
  EXPECT_EQ(format_number(0.001), "0.001");
  EXPECT_EQ(format_number(1.5e-5), "1.5e-5");
  EXPECT_EQ(format_number(123.456), "123");
  EXPECT_EQ(format_number(NAN), "NaN");
}

TEST(TicksTest, LinearAxisLabelsUseATypographicMinusAndThousands) {
  const AxisTicks axis = make_axis(-1, 1, false, 4);
  EXPECT_EQ(axis.labels.front(), "−1.0");
  EXPECT_EQ(axis.labels.back(), "1.0");
  const AxisTicks counts = make_axis(0, 57000, false, 3);
  EXPECT_EQ(counts.labels.front(), "0");
  EXPECT_EQ(counts.labels.back(), "60k");
}

TEST(TicksTest, LogAxisSpansWholeDecadesWithMinorTicks) {
  const AxisTicks axis = make_axis(2e-4, 0.5, true, 5);
  EXPECT_DOUBLE_EQ(axis.lo, 1e-4);
  EXPECT_DOUBLE_EQ(axis.hi, 1);
  ASSERT_EQ(axis.labels.size(), 5u);
  EXPECT_EQ(axis.labels.front(), "10⁻⁴");
  EXPECT_EQ(axis.labels.back(), "10⁰");
  EXPECT_EQ(axis.minor_ticks.size(), 4u * 8u);
}

TEST(TicksTest, LogAxisWithoutPositiveDataFallsBack) {
  const AxisTicks axis = make_axis(-1, 0, true);
  EXPECT_GT(axis.lo, 0);
  EXPECT_GT(axis.hi, axis.lo);
}

}  // namespace
}  // namespace nnlab::report
