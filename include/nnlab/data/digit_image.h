#pragma once
// One's own digit as MNIST's: 28×28, a bright digit on black, in [0, 1].
//
//   GreyImage photo = read_image("seven.png");
//   DigitImage digit = mnist_digit(photo);   // digit.image is 28×28
//
// MNIST was made (LeCun et al.) by fitting each NIST digit into a 20×20 box, keeping its
// aspect ratio, with anti-aliasing, and placing it in a 28×28 field so that its centre of
// mass is at the field's centre. mnist_digit does the same:
//  1. The border's mean grey level tells paper from ink: a light border (above 0.5) is
//     dark writing on light paper, inverted so that ink is bright on black.
//  2. The background (the border's median) becomes 0 and the brightest ink 1, so that
//     grey paper and faint pencil reach MNIST's full range. Blank images (less than
//     kMinInkContrast between them) are refused.
//  3. The image is cropped to the bounding box of the ink: the pixels at least
//     kInkThreshold of the way from background to ink.
//  4. The crop is scaled to fit 20×20, keeping its aspect ratio, by averaging over each
//     output pixel's area (a box filter: anti-aliasing when shrinking), then stretched
//     again so that its brightest pixel is 1 (a thin stroke drawn on a large canvas
//     comes out faint otherwise; MNIST's strokes reach 1).
//  5. It is pasted into 28×28 at the whole-pixel shift that brings its centre of mass
//     nearest pixel (14, 14), kept inside the field. That is where MNIST's own digits
//     have theirs: within half a pixel of (14, 14) in every one of the 10,000 test
//     images (with pixel (r, c) at (c, r)), not at the field's geometric centre (13.5).
//  6. Each value is rounded to a byte and scaled as the training data is
//     (pixel_from_byte in mnist.h), so that it is one of the same 256 values.

#include <cstdint>

#include "nnlab/io/image_file.h"

namespace nnlab {

inline constexpr int64_t kDigitField = 28;  // MNIST's image side
inline constexpr int64_t kDigitBox = 20;    // the box each digit is fitted into
inline constexpr double kMinInkContrast = 0.1;
inline constexpr double kInkThreshold = 0.2;

struct DigitImage {
  GreyImage image{};      // kDigitField × kDigitField, ink 1 on background 0
  bool inverted = false;  // the source was dark on light
  // The ink's bounding box in the source image.
  int64_t box_left = 0, box_top = 0, box_width = 0, box_height = 0;
};

// Throws std::invalid_argument when the image is empty or has no ink (every pixel close
// to the background's level).
DigitImage mnist_digit(const GreyImage& source);

// Resamples to width × height by area averaging: each output pixel is the mean of the
// source over the rectangle it covers, partly covered pixels weighted by their share.
// Works for shrinking and enlarging alike. Throws std::invalid_argument for sizes below 1.
GreyImage resize_area(const GreyImage& source, int64_t width, int64_t height);

// The centre of mass (x, y) in pixel indices: pixel (row r, column c) is at (c, r).
// (NaN, NaN) for an image whose pixels sum to 0.
struct Point2 {
  double x = 0, y = 0;
};
Point2 center_of_mass(const GreyImage& image);

}  // namespace nnlab
