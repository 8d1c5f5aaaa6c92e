#include "nnlab/data/digit_image.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>

#include "nnlab/data/mnist.h"

namespace nnlab::test {
namespace {

GreyImage filled(int64_t width, int64_t height, float value) { return GreyImage(width, height, value); }

void paint(GreyImage& image, int64_t left, int64_t top, int64_t width, int64_t height, float value) {
  for (int64_t r = top; r < top + height; ++r) {
    for (int64_t c = left; c < left + width; ++c) image.at(r, c) = value;
  }
}

double sum(const GreyImage& image) {
  double total = 0;
  for (const float v : image.pixels) total += v;
  return total;
}

// The rows and columns that hold any ink: {left, top, width, height}.
std::array<int64_t, 4> ink_box(const GreyImage& image) {
  int64_t left = image.width, right = -1, top = image.height, bottom = -1;
  for (int64_t r = 0; r < image.height; ++r) {
    for (int64_t c = 0; c < image.width; ++c) {
      if (image.at(r, c) > 0) {
        left = std::min(left, c), right = std::max(right, c), top = std::min(top, r), bottom = std::max(bottom, r);
      }
    }
  }
  return {left, top, right - left + 1, bottom - top + 1};
}

TEST(ResizeAreaTest, ShrinkingAveragesEachBlock) {
  GreyImage image(4, 2);
  image.pixels = {0, 1, 2, 3, 4, 5, 6, 7};
  const GreyImage half = resize_area(image, 2, 1);
  EXPECT_FLOAT_EQ(half.at(0, 0), (0 + 1 + 4 + 5) / 4.0f);
  EXPECT_FLOAT_EQ(half.at(0, 1), (2 + 3 + 6 + 7) / 4.0f);
}

TEST(ResizeAreaTest, PartlyCoveredPixelsCountByTheirShare) {
  GreyImage image(3, 1);
  image.pixels = {3, 6, 9};
  const GreyImage out = resize_area(image, 2, 1);  // each output pixel covers 1.5 source pixels
  EXPECT_FLOAT_EQ(out.at(0, 0), (3 + 0.5f * 6) / 1.5f);
  EXPECT_FLOAT_EQ(out.at(0, 1), (0.5f * 6 + 9) / 1.5f);
  EXPECT_FLOAT_EQ(sum(out) * 1.5f, sum(image));  // the mass is kept
}

TEST(ResizeAreaTest, EnlargingRepeatsPixels) {
  GreyImage image(2, 1);
  image.pixels = {0.25f, 0.75f};
  const GreyImage out = resize_area(image, 4, 2);
  for (int64_t r = 0; r < 2; ++r) {
    EXPECT_FLOAT_EQ(out.at(r, 0), 0.25f);
    EXPECT_FLOAT_EQ(out.at(r, 1), 0.25f);
    EXPECT_FLOAT_EQ(out.at(r, 2), 0.75f);
    EXPECT_FLOAT_EQ(out.at(r, 3), 0.75f);
  }
  EXPECT_THROW(resize_area(image, 0, 1), std::invalid_argument);
}

TEST(CenterOfMassTest, InPixelIndices) {
  GreyImage image(4, 2);
  image.at(1, 3) = 1.0f;
  const Point2 one = center_of_mass(image);
  EXPECT_DOUBLE_EQ(one.x, 3.0);
  EXPECT_DOUBLE_EQ(one.y, 1.0);
  image.at(0, 1) = 3.0f;
  EXPECT_DOUBLE_EQ(center_of_mass(image).x, (3 * 1.0 + 3.0) / 4);
  EXPECT_DOUBLE_EQ(center_of_mass(image).y, 0.25);
  EXPECT_TRUE(std::isnan(center_of_mass(GreyImage(2, 2)).x));
}

// A dark bar 20 wide and 40 tall, off-centre near the top left of a white 100×60 page,
// is halved to 10×20 ones (full mass 200), bright on black, its centre of mass where
// MNIST's are: within half a pixel of pixel (14, 14).
TEST(MnistDigitTest, OffCentreDarkOnWhiteEndsCentredBrightOnBlack) {
  GreyImage page = filled(100, 60, 1.0f);
  paint(page, 7, 3, 20, 40, 0.0f);
  const DigitImage digit = mnist_digit(page);
  EXPECT_TRUE(digit.inverted);
  EXPECT_EQ(digit.box_left, 7);
  EXPECT_EQ(digit.box_top, 3);
  EXPECT_EQ(digit.box_width, 20);
  EXPECT_EQ(digit.box_height, 40);
  ASSERT_EQ(digit.image.width, 28);
  ASSERT_EQ(digit.image.height, 28);
  EXPECT_EQ(digit.image.at(0, 0), 0.0f);
  EXPECT_EQ(digit.image.at(27, 27), 0.0f);
  EXPECT_DOUBLE_EQ(sum(digit.image), 200.0);
  // Its centre of mass (4.5, 9.5) goes to (14.5, 14.5): 14 − 4.5 and 14 − 9.5 round up.
  EXPECT_EQ(ink_box(digit.image), (std::array<int64_t, 4>{10, 5, 10, 20}));
  const Point2 c = center_of_mass(digit.image);
  EXPECT_DOUBLE_EQ(c.x, 14.5);
  EXPECT_DOUBLE_EQ(c.y, 14.5);
}

// An "L": its centre of mass lies left of and below its box's centre, so the box is not
// centred but the mass is (to within half a pixel: shifts are whole pixels).
TEST(MnistDigitTest, TheCentreOfMassNotTheBoxIsCentred) {
  GreyImage page = filled(40, 40, 0.0f);  // already bright on black
  paint(page, 10, 5, 4, 30, 0.9f);        // the stem
  paint(page, 10, 31, 20, 4, 0.9f);       // the foot
  const DigitImage digit = mnist_digit(page);
  EXPECT_FALSE(digit.inverted);
  const auto box = ink_box(digit.image);
  EXPECT_EQ(box[2], 13);  // 20×30 fitted into 20 tall: 13.3 → 13 wide
  EXPECT_EQ(box[3], 20);
  const Point2 c = center_of_mass(digit.image);
  EXPECT_LE(std::abs(c.x - 14.0), 0.5);
  EXPECT_LE(std::abs(c.y - 14.0), 0.5);
  EXPECT_GT(box[0] + (box[2] - 1) / 2.0, 15.0);  // the box's centre lies right of 14 to bring the stem in
  EXPECT_EQ(*std::max_element(digit.image.pixels.begin(), digit.image.pixels.end()), 1.0f);  // 0.9 stretched to 1
}

TEST(MnistDigitTest, ValuesAreThoseOfTheTrainingData) {
  GreyImage page = filled(30, 30, 0.8f);  // grey paper
  for (int64_t r = 4; r < 26; ++r) {
    for (int64_t c = 6; c < 20; ++c) page.at(r, c) = 0.8f - 0.6f * static_cast<float>(c - 6) / 13.0f;
  }
  const DigitImage digit = mnist_digit(page);
  for (const float v : digit.image.pixels) {
    const auto byte = static_cast<uint8_t>(std::lround(v * 255.0));
    EXPECT_EQ(v, pixel_from_byte(byte)) << v;
  }
  EXPECT_EQ(*std::min_element(digit.image.pixels.begin(), digit.image.pixels.end()), 0.0f);  // paper becomes 0
}

TEST(MnistDigitTest, BlankImagesHaveNoInk) {
  for (const float level : {0.0f, 1.0f, 0.5f}) {
    try {
      mnist_digit(filled(10, 10, level));
      ADD_FAILURE() << "no error for a blank image at " << level;
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("no ink"), std::string::npos) << e.what();
    }
  }
  GreyImage faint = filled(10, 10, 1.0f);
  faint.at(5, 5) = 0.95f;  // a speck of dust, not a digit
  EXPECT_THROW(mnist_digit(faint), std::invalid_argument);
}

TEST(MnistDigitTest, ATinyImageIsEnlarged) {
  GreyImage dot = filled(3, 3, 1.0f);
  dot.at(1, 1) = 0.0f;
  const DigitImage digit = mnist_digit(dot);
  EXPECT_EQ(ink_box(digit.image), (std::array<int64_t, 4>{5, 5, 20, 20}));  // centre of mass 9.5 → 14.5
  EXPECT_DOUBLE_EQ(sum(digit.image), 400.0);
}

}  // namespace
}  // namespace nnlab::test
