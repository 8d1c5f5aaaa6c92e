// Numbers written into texts that are parsed back: shortest, exact, no '+'.

#include "nnlab/io/number_text.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>

namespace nnlab {
namespace {

TEST(NumberText, ShortestFormsAsAPersonWritesThem) {
  EXPECT_EQ(round_trip_number(0.1), "0.1");
  EXPECT_EQ(round_trip_number(1e-05), "1e-05");
  EXPECT_EQ(round_trip_number(3), "3");
  EXPECT_EQ(round_trip_number(-2.5), "-2.5");
  EXPECT_EQ(round_trip_number(1e308), "1e308");
  EXPECT_EQ(round_trip_number(1.5e300), "1.5e300");
  EXPECT_EQ(round_trip_number(0.1234), "0.1234");
  EXPECT_EQ(round_trip_number(0.12345678901234566), "0.12345678901234566");
  // Plain digits for exponents from -4 to 15, as printf's %g.
  EXPECT_EQ(round_trip_number(0.0001), "0.0001");
  EXPECT_EQ(round_trip_number(0.00012345), "0.00012345");
  EXPECT_EQ(round_trip_number(1.2345678901234568e-05), "1.2345678901234568e-05");
  EXPECT_EQ(round_trip_number(100000), "100000");
  EXPECT_EQ(round_trip_number(1e15), "1000000000000000");
  EXPECT_EQ(round_trip_number(1e16), "1e16");
  EXPECT_EQ(round_trip_number(0), "0");
  EXPECT_EQ(round_trip_number(-0.0), "-0");
  EXPECT_EQ(round_trip_number(1e-300), "1e-300");
  EXPECT_EQ(round_trip_number(std::numeric_limits<double>::denorm_min()), "5e-324");
}

TEST(NumberText, EveryFiniteDoubleReadsBackExactly) {
  std::mt19937_64 bits(18);
  for (int i = 0; i < 200000; ++i) {
    const auto value = std::bit_cast<double>(bits());
    if (!std::isfinite(value)) continue;
    const std::string text = round_trip_number(value);
    EXPECT_EQ(text.find('+'), std::string::npos) << text;
    double back = 0;
    ASSERT_TRUE(read_number(text, back)) << text;
    ASSERT_EQ(std::bit_cast<uint64_t>(back), std::bit_cast<uint64_t>(value)) << text;
  }
}

TEST(NumberText, ReadsOnlyWholeFiniteNumbers) {
  double v = -1;
  EXPECT_TRUE(read_number("+2", v));
  EXPECT_EQ(v, 2);
  EXPECT_TRUE(read_number("1E+308", v));
  EXPECT_EQ(v, 1e308);
  EXPECT_TRUE(read_number("4.9e-324", v));
  EXPECT_EQ(v, std::numeric_limits<double>::denorm_min());
  for (const char* bad :
       {"", "+", "-", "+-1", "++1", " 1", "1 ", "1x", "inf", "-inf", "nan", "1e309", "-1e400", "0x10", "1e", "."}) {
    v = 7;
    EXPECT_FALSE(read_number(bad, v)) << "'" << bad << "'";
    EXPECT_EQ(v, 7) << "'" << bad << "' changed the value";
  }
}

}  // namespace
}  // namespace nnlab
