#include "nnlab/optim/schedule.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>
#include <numbers>
#include <random>
#include <stdexcept>
#include <string>

#include "nnlab/optim/sgd.h"

namespace nnlab::test {
namespace {

TEST(Schedule, Constant) {
  const Constant schedule(0.1);
  EXPECT_EQ(schedule.lr(0), 0.1);
  EXPECT_EQ(schedule.lr(1000000), 0.1);
  EXPECT_THROW(schedule.lr(-1), std::invalid_argument);
}

TEST(Schedule, StepDecayHalvesEveryStepSizeSteps) {
  const StepDecay schedule(0.1, 10, 0.5);
  EXPECT_DOUBLE_EQ(schedule.lr(0), 0.1);
  EXPECT_DOUBLE_EQ(schedule.lr(9), 0.1);
  EXPECT_DOUBLE_EQ(schedule.lr(10), 0.05);
  EXPECT_DOUBLE_EQ(schedule.lr(29), 0.025);
  EXPECT_DOUBLE_EQ(schedule.lr(30), 0.0125);
}

TEST(Schedule, ExponentialPerStep) {
  const Exponential schedule(0.2, 0.9);
  EXPECT_DOUBLE_EQ(schedule.lr(0), 0.2);
  EXPECT_DOUBLE_EQ(schedule.lr(1), 0.18);
  EXPECT_DOUBLE_EQ(schedule.lr(3), 0.2 * 0.729);
}

TEST(Schedule, CosineFromBaseToMinimum) {
  const Cosine schedule(1.0, 100);
  EXPECT_DOUBLE_EQ(schedule.lr(0), 1.0);
  EXPECT_DOUBLE_EQ(schedule.lr(25), 0.5 + 0.5 * std::sqrt(0.5));
  EXPECT_DOUBLE_EQ(schedule.lr(50), 0.5);
  EXPECT_NEAR(schedule.lr(75), 0.5 - 0.5 * std::sqrt(0.5), 1e-15);
  EXPECT_EQ(schedule.lr(100), 0.0);
  EXPECT_EQ(schedule.lr(250), 0.0);

  const Cosine with_floor(1.0, 100, 0.1);
  EXPECT_DOUBLE_EQ(with_floor.lr(50), 0.55);
  EXPECT_DOUBLE_EQ(with_floor.lr(100), 0.1);
  EXPECT_THROW(Cosine(0.1, 100, 0.2), std::invalid_argument);
}

TEST(Schedule, LinearWarmupThenTheWrappedSchedule) {
  const LinearWarmup schedule(4, std::make_unique<StepDecay>(0.8, 2, 0.5));
  EXPECT_DOUBLE_EQ(schedule.lr(0), 0.2);
  EXPECT_DOUBLE_EQ(schedule.lr(1), 0.4);
  EXPECT_DOUBLE_EQ(schedule.lr(3), 0.8);
  EXPECT_DOUBLE_EQ(schedule.lr(4), 0.8);  // the step schedule's step 0
  EXPECT_DOUBLE_EQ(schedule.lr(6), 0.4);  // its step 2
}

TEST(Schedule, ParsesEachForm) {
  auto constant = parse_schedule("constant", 0.3, 100);
  EXPECT_EQ(constant->lr(57), 0.3);

  auto step = parse_schedule("step:1000:0.5", 0.1, 5000);
  EXPECT_DOUBLE_EQ(step->lr(999), 0.1);
  EXPECT_DOUBLE_EQ(step->lr(2500), 0.025);

  auto exp = parse_schedule("exp:0.999", 0.1, 0);
  EXPECT_DOUBLE_EQ(exp->lr(2), 0.1 * 0.999 * 0.999);

  auto cosine = parse_schedule("cosine", 0.1, 200);
  EXPECT_DOUBLE_EQ(cosine->lr(100), 0.05);
  EXPECT_EQ(cosine->lr(200), 0.0);

  auto cosine_floor = parse_schedule("cosine:1e-5", 0.1, 200);
  EXPECT_DOUBLE_EQ(cosine_floor->lr(100), 1e-5 + (0.1 - 1e-5) / 2);
  EXPECT_DOUBLE_EQ(cosine_floor->lr(400), 1e-5);

  auto warmup = parse_schedule("warmup:200", 0.1, 0);
  EXPECT_DOUBLE_EQ(warmup->lr(0), 0.1 / 200);
  EXPECT_DOUBLE_EQ(warmup->lr(99), 0.05);
  EXPECT_DOUBLE_EQ(warmup->lr(5000), 0.1);

  // The cosine spans the steps left after the warm-up: 10 + 100.
  auto warm_cosine = parse_schedule("warmup:10+cosine", 1.0, 110);
  EXPECT_DOUBLE_EQ(warm_cosine->lr(0), 0.1);
  EXPECT_DOUBLE_EQ(warm_cosine->lr(9), 1.0);
  EXPECT_DOUBLE_EQ(warm_cosine->lr(10), 1.0);
  EXPECT_DOUBLE_EQ(warm_cosine->lr(60), 0.5);
  EXPECT_EQ(warm_cosine->lr(110), 0.0);
}

TEST(Schedule, TextRoundTrips) {
  for (const std::string text : {"constant", "step:1000:0.5", "exp:0.999", "cosine", "cosine:1e-05", "warmup:200",
                                 "warmup:200+cosine", "warmup:5+step:10:0.1"}) {
    EXPECT_EQ(parse_schedule(text, 0.1, 1000)->str(), text);
  }
}

void expect_error_text(const std::string& text, int64_t total_steps, const std::string& part) {
  try {
    parse_schedule(text, 0.1, total_steps);
    ADD_FAILURE() << "no exception for '" << text << "'";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << "'" << text << "': " << e.what();
  }
}

// Numbers of every size print with every digit and without '+', which would read as
// the join of a warm-up and its schedule.
TEST(Schedule, HugeAndPreciseNumbersRoundTrip) {
  EXPECT_EQ(parse_schedule("exp:1e308", 0.1, 1000)->str(), "exp:1e308");
  EXPECT_EQ(parse_schedule("exp:1e+308", 0.1, 1000)->str(), "exp:1e308");
  EXPECT_EQ(parse_schedule("warmup:10+exp:1E+300", 0.1, 1000)->str(), "warmup:10+exp:1e300");
  EXPECT_EQ(parse_schedule("exp:0.9999999", 0.1, 1000)->str(), "exp:0.9999999");
  EXPECT_EQ(parse_schedule("cosine:1.2345678901234568e-05", 0.1, 1000)->str(), "cosine:1.2345678901234568e-05");
  EXPECT_EQ(parse_schedule("exp:0.0001", 0.1, 1000)->str(), "exp:0.0001");
}

// Found by the fuzzer (fuzz/corpus/schedule_fuzz/crash_warmup_negative_total): the
// steps left after a warm-up were total − warm-up, which overflowed for a total near
// INT64_MIN. A run shorter than its warm-up leaves 0 steps after it.
TEST(Schedule, StepsAfterTheWarmUpNeverWrapAround) {
  const int64_t most_negative = std::numeric_limits<int64_t>::min() + 10;
  const auto warmup = parse_schedule("warmup:14", 0.1, most_negative);
  EXPECT_EQ(warmup->str(), "warmup:14");
  EXPECT_DOUBLE_EQ(warmup->lr(13), 0.1);
  expect_error_text("warmup:14+cosine", most_negative, "warm-up of 14 steps leaves none of the");
  expect_error_text("warmup:5+cosine", 3, "warm-up of 5 steps leaves none of the 3 steps for cosine");
}

// For many random schedules, parse(str(schedule)) is the same schedule: the same
// text, and the same rate at every step tried.
TEST(Schedule, RandomSchedulesRoundTripExactly) {
  std::mt19937_64 random(4);
  auto pick = [&](int64_t n) { return static_cast<int64_t>(random() % static_cast<uint64_t>(n)); };
  auto positive = [&] { return std::pow(10.0, std::uniform_real_distribution<double>(-300, 300)(random)); };
  for (int trial = 0; trial < 3000; ++trial) {
    const double base_lr = std::uniform_real_distribution<double>(1e-6, 1)(random);
    const int64_t total_steps = 1 + pick(1'000'000'000'000);
    std::unique_ptr<LearningRateSchedule> schedule;
    switch (pick(4)) {
      case 0:
        schedule = std::make_unique<StepDecay>(base_lr, 1 + pick(int64_t{1} << 62), positive());
        break;
      case 1:
        schedule = std::make_unique<Exponential>(base_lr, positive());
        break;
      case 2:
        schedule = std::make_unique<Cosine>(base_lr, total_steps, pick(2) ? 0.0 : base_lr * (pick(1000) / 1e3));
        break;
      default:
        schedule = std::make_unique<Constant>(base_lr);
    }
    if (pick(3) == 0) schedule = std::make_unique<LinearWarmup>(1 + pick(1'000'000), std::move(schedule));
    const std::string text = schedule->str();
    const int64_t warmup = text.starts_with("warmup:") ? std::stoll(text.substr(7)) : 0;
    std::unique_ptr<LearningRateSchedule> back;
    ASSERT_NO_THROW(back = parse_schedule(text, base_lr, total_steps + warmup)) << text;
    ASSERT_EQ(back->str(), text);
    for (const int64_t step : {int64_t{0}, int64_t{1}, pick(1000), pick(total_steps), total_steps}) {
      const double a = schedule->lr(step), b = back->lr(step);
      ASSERT_TRUE(a == b || (std::isnan(a) && std::isnan(b)))
          << text << " at step " << step << ": " << a << " vs " << b;
    }
  }
}

void expect_error(const std::string& text, const std::string& part, int64_t total_steps = 1000) {
  try {
    parse_schedule(text, 0.1, total_steps);
    ADD_FAILURE() << "no exception for '" << text << "'";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << "'" << text << "': " << e.what();
  }
}

TEST(Schedule, ParserNamesTheBadPart) {
  expect_error("linear", "unknown schedule 'linear'");
  expect_error("", "unknown schedule ''");
  expect_error("step:abc:0.5", "step size 'abc'");
  expect_error("step:0:0.5", "step size '0'");
  expect_error("step:10", "step:<step_size>:<gamma>");
  expect_error("step:10:x", "gamma 'x'");
  expect_error("exp:-1", "gamma must be");
  expect_error("exp:0.9:1", "exp:<gamma>");
  expect_error("cosine:abc", "min lr 'abc'");
  expect_error("cosine:0.5", "above the base lr");
  expect_error("cosine", "cosine needs the number of steps", 0);
  expect_error("warmup:0", "warm-up steps '0'");
  expect_error("warmup:1.5", "warm-up steps '1.5'");
  expect_error("warmup:200+cosine", "leaves none", 200);
  expect_error("cosine+warmup:5", "only a warm-up can come before '+'");
  expect_error("warmup:5+warmup:5", "warmup must come first");
  expect_error("warmup:5+exp:0.9+cosine", "at most one '+'");
}

TEST(Schedule, DrivesAnOptimizer) {
  // Constant gradient 1: the weight falls by the rate of each step: 0.1, 0.1, 0.05, 0.05.
  Tensor<double> w(Shape{1}, 1.0), g(Shape{1}, 1.0);
  SGD<double> sgd({{"weight", &w, &g, true}}, 0.1);
  const StepDecay schedule(0.1, 2, 0.5);
  for (int step = 0; step < 4; ++step) {
    sgd.set_lr(schedule.lr(sgd.steps()));
    sgd.step();
  }
  EXPECT_DOUBLE_EQ(w[0], 0.7);
}

}  // namespace
}  // namespace nnlab::test
