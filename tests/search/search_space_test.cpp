// SearchSpace: the grammar, its errors, and the sampling scales.

#include "nnlab/search/search_space.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace nnlab {
namespace {

std::string parse_error(const std::string& text) {
  try {
    SearchSpace::parse(text);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(SearchSpace, ParsesRangesScalesAndChoices) {
  const SearchSpace space = SearchSpace::parse(
      "lr=1e-6..1e-2:log, weight_decay=1e-8..1e-4:log,dropout=0..0.5,hidden=50..200:int,"
      "optimizer={sgd,adam}");
  ASSERT_EQ(space.size(), 5u);
  EXPECT_TRUE(space.dimensions()[0].log);
  EXPECT_DOUBLE_EQ(space.dimensions()[0].low, 1e-6);
  EXPECT_DOUBLE_EQ(space.dimensions()[1].high, 1e-4);
  EXPECT_FALSE(space.dimensions()[2].log);
  EXPECT_TRUE(space.dimensions()[3].integer);
  EXPECT_EQ(space.dimensions()[4].choices, (std::vector<std::string>{"sgd", "adam"}));
  EXPECT_EQ(space.find("dropout"), 2);
  EXPECT_EQ(space.find("momentum"), -1);
  // The text form parses back to the same space.
  EXPECT_EQ(SearchSpace::parse(space.str()).str(), space.str());
}

TEST(SearchSpace, ErrorsNameTheBadPart) {
  EXPECT_NE(parse_error("lr=1e-6..1e-2:cubic").find("unknown scale 'cubic'"), std::string::npos);
  EXPECT_NE(parse_error("lr=abc..1").find("bad number 'abc'"), std::string::npos);
  EXPECT_NE(parse_error("lr=0.1").find("'lr=0.1'"), std::string::npos);
  EXPECT_NE(parse_error("lr").find("'lr'"), std::string::npos);
  EXPECT_NE(parse_error("lr=1..0.1").find("LOW < HIGH"), std::string::npos);
  EXPECT_NE(parse_error("lr=0..1:log").find("LOW > 0"), std::string::npos);
  EXPECT_NE(parse_error("hidden=1.5..4:int").find("whole-number"), std::string::npos);
  EXPECT_NE(parse_error("optimizer={sgd,adam").find("closing"), std::string::npos);
  EXPECT_NE(parse_error("optimizer={sgd,,adam}").find("empty choice"), std::string::npos);
  EXPECT_NE(parse_error("lr=1..2,lr=3..4").find("twice"), std::string::npos);
  EXPECT_NE(parse_error("").find("empty"), std::string::npos);
}

// str() keeps every digit: a narrow range prints as itself, not as an empty one, and
// a resumed search compares the exact values.
TEST(SearchSpace, TextKeepsEveryDigit) {
  const SearchSpace narrow = SearchSpace::parse("lr=0.1231..0.1234");
  EXPECT_EQ(narrow.str(), "lr=0.1231..0.1234");
  EXPECT_EQ(SearchSpace::parse(narrow.str()), narrow);
  EXPECT_EQ(SearchSpace::parse("lr=1e-6..1e-2:log,hidden=50..200:int:log").str(),
            "lr=1e-06..0.01:log,hidden=50..200:log:int");
  const SearchSpace huge = SearchSpace::parse("x=-1e300..1.7976931348623157e308");
  EXPECT_EQ(huge.str(), "x=-1e300..1.7976931348623157e308");
  EXPECT_EQ(SearchSpace::parse(huge.str()), huge);
  EXPECT_NE(SearchSpace::parse("lr=0.1231..0.1234"), SearchSpace::parse("lr=0.1231..0.12340000000000001"));
}

TEST(SearchSpace, IntegerRangesMustFitExactly) {
  EXPECT_NE(parse_error("hidden=1..1e300:int").find("must lie within ±2^53"), std::string::npos)
      << parse_error("hidden=1..1e300:int");
  EXPECT_NE(parse_error("hidden=-1e17..1:int").find("'hidden=-1e17..1:int'"), std::string::npos);
  EXPECT_EQ(parse_error("hidden=1..9007199254740992:int"), "");
  EXPECT_NE(parse_error("hidden=1..9007199254740994:int"), "");
}

TEST(SearchSpace, NamesAndChoicesCannotHoldTheGrammarsSeparators) {
  EXPECT_NE(parse_error("a{=1..2").find("the name 'a{'"), std::string::npos) << parse_error("a{=1..2");
  EXPECT_NE(parse_error("l r=1..2").find("the name 'l r'"), std::string::npos);
  EXPECT_NE(parse_error("o={a{b}").find("holds a brace"), std::string::npos) << parse_error("o={a{b}");
  EXPECT_NE(parse_error("o={a,b}}").find("holds a brace"), std::string::npos);
}

// For many random spaces, parse(str(space)) is the very same space.
TEST(SearchSpace, RandomSpacesRoundTripExactly) {
  std::mt19937_64 random(6);
  auto pick = [&](int n) { return static_cast<int>(random() % static_cast<uint64_t>(n)); };
  // Numbers of every kind: short, with all 17 digits, tiny, huge, negative.
  auto number = [&]() -> double {
    switch (pick(4)) {
      case 0:
        return static_cast<double>(pick(2001) - 1000) / 100;
      case 1:
        return std::uniform_real_distribution<double>(-1, 1)(random);
      case 2:
        return std::pow(10.0, std::uniform_real_distribution<double>(-300, 300)(random));
      default:
        return -std::pow(10.0, std::uniform_real_distribution<double>(-20, 20)(random));
    }
  };
  for (int trial = 0; trial < 2000; ++trial) {
    std::vector<Dimension> dimensions;
    const int size = 1 + pick(5);
    for (int i = 0; i < size; ++i) {
      Dimension d;
      d.name = "p" + std::to_string(i) + (pick(2) ? "_x" : "-y");
      if (pick(5) == 0) {
        for (int k = 0; k <= pick(4); ++k) d.choices.push_back("c" + std::to_string(pick(100)) + (pick(2) ? " z" : ""));
      } else {
        d.integer = pick(3) == 0;
        d.log = pick(2) == 0;
        double a = number(), b = number();
        if (d.integer) {
          a = std::round(std::fmod(a, 1e15));
          b = std::round(std::fmod(b, 1e15));
        }
        if (d.log) {
          a = std::abs(a) + (d.integer ? 1 : 1e-300);
          b = std::abs(b) + (d.integer ? 1 : 1e-300);
        }
        if (a == b) b = d.integer ? a + 1 : std::nextafter(a, HUGE_VAL);
        d.low = std::min(a, b);
        d.high = std::max(a, b);
      }
      dimensions.push_back(d);
    }
    const SearchSpace space(dimensions);
    SearchSpace back;
    ASSERT_NO_THROW(back = SearchSpace::parse(space.str())) << space.str();
    ASSERT_EQ(back, space) << space.str() << " came back as " << back.str();
    EXPECT_EQ(back.str(), space.str());
  }
}

TEST(SearchSpace, LogRangesAreUniformPerDecade) {
  const SearchSpace space = SearchSpace::parse("lr=1e-6..1e-2:log,dropout=0..0.5");
  Rng rng(1);
  int per_decade[4] = {0, 0, 0, 0};
  double dropout_mean = 0;
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    const Point p = space.sample(rng);
    ASSERT_GE(p[0], 1e-6);
    ASSERT_LE(p[0], 1e-2);
    ASSERT_GE(p[1], 0.0);
    ASSERT_LE(p[1], 0.5);
    ++per_decade[std::min(3, static_cast<int>(std::floor(std::log10(p[0]) + 6)))];
    dropout_mean += p[1] / n;
  }
  // Each of the four decades holds a quarter of the draws (a linear scale would put 90% in the last).
  for (int count : per_decade) EXPECT_NEAR(count / static_cast<double>(n), 0.25, 0.015);
  EXPECT_NEAR(dropout_mean, 0.25, 0.01);
}

TEST(SearchSpace, IntegersHitBothEndsEvenlyAndChoicesAreUniform) {
  const SearchSpace space = SearchSpace::parse("depth=1..3:int,optimizer={sgd,adam,momentum}");
  Rng rng(2);
  int depth[4] = {0, 0, 0, 0};
  int choice[3] = {0, 0, 0};
  for (int i = 0; i < 9000; ++i) {
    const Point p = space.sample(rng);
    ASSERT_EQ(p[0], std::round(p[0]));
    ++depth[static_cast<int>(p[0])];
    ++choice[static_cast<int>(p[1])];
  }
  EXPECT_EQ(depth[0], 0);
  for (int d = 1; d <= 3; ++d) EXPECT_NEAR(depth[d], 3000, 200);
  for (int c : choice) EXPECT_NEAR(c, 3000, 200);
}

TEST(SearchSpace, UnitCubeMappingFollowsTheScale) {
  const SearchSpace space = SearchSpace::parse("lr=1e-6..1e-2:log,dropout=0..0.5,optimizer={sgd,adam}");
  const std::vector<double> unit = space.to_unit({1e-4, 0.125, 1});
  EXPECT_NEAR(unit[0], 0.5, 1e-12);  // 1e-4 is half-way in exponents
  EXPECT_NEAR(unit[1], 0.25, 1e-12);
  EXPECT_NEAR(unit[2], 0.75, 1e-12);
  const Point back = space.from_unit(unit);
  EXPECT_NEAR(back[0], 1e-4, 1e-16);
  EXPECT_NEAR(back[1], 0.125, 1e-12);
  EXPECT_EQ(back[2], 1);
  EXPECT_EQ(space.describe(back), "lr: 0.0001, dropout: 0.12, optimizer: adam");
}

}  // namespace
}  // namespace nnlab
