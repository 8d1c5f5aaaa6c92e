// Initializer: its text form parses back exactly, and values that would make
// infinite weights are refused, naming the value.

#include "nnlab/init/initializer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <stdexcept>
#include <string>

namespace nnlab {
namespace {

std::string parse_error(const std::string& text) {
  try {
    Initializer::parse(text);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(Initializer, TextKeepsEveryDigit) {
  EXPECT_EQ(Initializer::parse("normal:0.01").str(), "normal:0.01");
  EXPECT_EQ(Initializer::parse("normal:0.0123456789").str(), "normal:0.0123456789");
  EXPECT_EQ(Initializer::parse("constant:-2.5e-300").str(), "constant:-2.5e-300");
  EXPECT_EQ(Initializer::parse("normal:1e18").str(), "normal:1e18");
  EXPECT_EQ(Initializer::parse("he").str(), "he-normal");
  EXPECT_EQ(Initializer::parse("zero"), Initializer::constant(0));
}

// normal:1e39 used to give infinite weights, and then a misleading "learning rate
// too high" at the first step.
TEST(Initializer, ValuesThatOverflowFloatAreRefused) {
  EXPECT_EQ(parse_error("normal:1e39"),
            "bad initialiser 'normal:1e39': initialiser std 1e39 is not a finite number within ±1e18: weights that "
            "large overflow float");
  EXPECT_NE(parse_error("normal:1.000001e18").find("std 1.000001e18 is not"), std::string::npos)
      << parse_error("normal:1.000001e18");
  EXPECT_NE(parse_error("constant:-1e19").find("constant -1e19"), std::string::npos);
  EXPECT_NE(parse_error("normal:inf").find("'inf' is not a number"), std::string::npos);
  EXPECT_NE(parse_error("normal:1e999").find("'1e999' is not a number"), std::string::npos);
  EXPECT_NE(parse_error("normal:-0.1").find("std -0.1 must not be negative"), std::string::npos);
  EXPECT_THROW(Initializer::normal(NAN), std::invalid_argument);
  EXPECT_THROW(Initializer::constant(1e39), std::invalid_argument);
  EXPECT_NO_THROW(Initializer::normal(1e18));
}

TEST(Initializer, RandomInitialisersRoundTripExactly) {
  std::mt19937_64 random(39);
  const Initializer fixed[] = {Initializer::xavier_normal(), Initializer::xavier_uniform(), Initializer::he_normal(),
                               Initializer::he_uniform(), Initializer::lecun_normal()};
  for (int trial = 0; trial < 5000; ++trial) {
    const double magnitude = std::pow(10.0, std::uniform_real_distribution<double>(-320, 18)(random));
    Initializer init = Initializer::zeros();
    switch (random() % 3) {
      case 0:
        init = Initializer::normal(magnitude);
        break;
      case 1:
        init = Initializer::constant(random() % 2 ? magnitude : -magnitude);
        break;
      default:
        init = fixed[random() % 5];
    }
    Initializer back = Initializer::zeros();
    ASSERT_NO_THROW(back = Initializer::parse(init.str())) << init.str();
    ASSERT_EQ(back, init) << init.str() << " came back as " << back.str();
  }
}

}  // namespace
}  // namespace nnlab
