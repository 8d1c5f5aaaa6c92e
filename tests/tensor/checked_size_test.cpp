#include "nnlab/tensor/checked_size.h"

#include <gtest/gtest.h>

#include <limits>

#include "nnlab/kernels/im2col.h"
#include "nnlab/tensor/tensor.h"

namespace nnlab::test {

TEST(CheckedSize, MultipliesAndAddsExactlyOrThrows) {
  EXPECT_EQ(checked_mul(1 << 20, 1 << 20, "x"), int64_t{1} << 40);
  EXPECT_EQ(checked_add(3, 4, "x"), 7);
  EXPECT_THROW(checked_mul(int64_t{1} << 32, int64_t{1} << 32, "x"), std::invalid_argument);
  EXPECT_THROW(checked_add(std::numeric_limits<int64_t>::max(), 1, "x"), std::invalid_argument);
  EXPECT_THROW(checked_mul(-1, 2, "x"), std::invalid_argument);
  try {
    checked_mul(int64_t{1} << 40, int64_t{1} << 40, "the weight");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("the weight is too large"), std::string::npos) << e.what();
  }
}

TEST(CheckedSize, ShapeElementCountsDoNotWrap) {
  const Shape huge{int64_t{4294967296}, int64_t{4294967296}};
  EXPECT_THROW(huge.numel(), std::invalid_argument);
  EXPECT_THROW((Shape{1, int64_t{4294967296}, int64_t{4294967296}}.sample_size()), std::invalid_argument);
  EXPECT_EQ((Shape{2, 3, 4}).numel(), 24);
}

TEST(CheckedSize, TensorsLargerThanMemoryAreRefusedBeforeAllocating) {
  EXPECT_GT(physical_memory_bytes(), uint64_t{1} << 24);
  try {
    Tensor<float> t(Shape{int64_t{1} << 31, int64_t{1} << 31});
    FAIL() << "allocated " << t.size();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("a tensor of shape [2147483648, 2147483648] needs"), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("of memory"), std::string::npos) << e.what();
  }
  Tensor<float> t(Shape{2, 2});
  EXPECT_THROW(t.resize(Shape{int64_t{1} << 40, 1 << 20}), std::invalid_argument);
  EXPECT_EQ(t.size(), 4);  // unchanged after the refusal
}

TEST(CheckedSize, ConvGeometryRefusesSizesThatWrap) {
  // The fuzzer's heap overflow: out_h·out_w wrapped and im2col wrote past its buffer.
  const ConvGeometry wraps{1, 28, 28, 3, 3, 1, int64_t{2305843009213693952}};
  EXPECT_THROW(wraps.check("Conv2d"), std::invalid_argument);
  const ConvGeometry padding_wraps{1, 28, 28, 15, 15, 1, std::numeric_limits<int64_t>::max()};
  EXPECT_THROW(padding_wraps.check("MaxPool2d"), std::invalid_argument);
  const ConvGeometry zero_stride{1, 28, 28, 3, 3, 0, 0};
  EXPECT_THROW(zero_stride.check("Conv2d"), std::invalid_argument);
  const ConvGeometry fine{3, 28, 28, 5, 5, 1, 2};
  EXPECT_NO_THROW(fine.check("Conv2d"));
  EXPECT_EQ(fine.col_rows() * fine.col_cols(), 75 * 784);
}

}  // namespace nnlab::test
