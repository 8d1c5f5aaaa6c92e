// NCHW <-> nChw{B}c (kernels/channel_blocks.h): every value where the layout's formula puts it.
#include "nnlab/kernels/channel_blocks.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace nnlab::test {
namespace {

Tensor<float> counting_batch(const Shape& shape) {
  Tensor<float> x(shape);
  for (int64_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i);
  return x;
}

}  // namespace

TEST(ChannelBlocks, EachValueGoesWhereTheBlockedLayoutPutsIt) {
  const int64_t n = 3, c = 32, h = 5, w = 7, spatial = h * w;
  const Tensor<float> plain = counting_batch(Shape{n, c, h, w});
  for (const int64_t block : {8, 16}) {
    Tensor<float> blocked;
    convert_channel_blocks(plain, block, blocked);
    ASSERT_EQ(blocked.shape(), plain.shape());
    EXPECT_EQ(blocked.channel_block(), block);
    for (int64_t r = 0; r < n; ++r) {
      for (int64_t ch = 0; ch < c; ++ch) {
        for (int64_t s = 0; s < spatial; ++s) {
          const int64_t at = ((r * c / block + ch / block) * spatial + s) * block + ch % block;
          ASSERT_EQ(blocked[at], plain[(r * c + ch) * spatial + s]) << "block " << block << " n " << r << " c " << ch;
        }
      }
    }
    Tensor<float> back;
    convert_channel_blocks(blocked, 0, back);
    EXPECT_EQ(back.channel_block(), 0);
    for (int64_t i = 0; i < plain.size(); ++i) ASSERT_EQ(back[i], plain[i]) << i;
  }
}

TEST(ChannelBlocks, OneBlockSizeToAnother) {
  const Tensor<float> plain = counting_batch(Shape{2, 16, 3, 3});
  Tensor<float> by8, by16, direct;
  convert_channel_blocks(plain, 8, by8);
  convert_channel_blocks(plain, 16, by16);
  convert_channel_blocks(by8, 16, direct);
  EXPECT_EQ(direct.channel_block(), 16);
  for (int64_t i = 0; i < by16.size(); ++i) ASSERT_EQ(direct[i], by16[i]) << i;
}

TEST(ChannelBlocks, InChannelBlocksConvertsOnlyWhenTheLayoutDiffers) {
  const Tensor<float> plain = counting_batch(Shape{1, 8, 2, 2});
  Tensor<float> buffer;
  EXPECT_EQ(&in_channel_blocks(plain, 0, buffer), &plain);
  const Tensor<float>& blocked = in_channel_blocks(plain, 8, buffer);
  EXPECT_EQ(&blocked, &buffer);
  EXPECT_EQ(blocked.channel_block(), 8);
  EXPECT_EQ(blocked[1], plain[4]);  // channel 1 of pixel 0 comes right after channel 0
}

TEST(ChannelBlocks, RefusesChannelsThatDoNotFillTheBlocks) {
  EXPECT_TRUE(fits_channel_blocks(Shape{2, 16, 3, 3}, 16));
  EXPECT_FALSE(fits_channel_blocks(Shape{2, 12, 3, 3}, 8));
  EXPECT_FALSE(fits_channel_blocks(Shape{2, 16}, 16));
  Tensor<float> out;
  EXPECT_THROW(convert_channel_blocks(counting_batch(Shape{1, 12, 2, 2}), 8, out), std::logic_error);
}

}  // namespace nnlab::test
