#include "nnlab/data/digit_image.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>
#include <vector>

#include "nnlab/data/mnist.h"

namespace nnlab {

namespace {

// One source pixel's share of an output pixel.
struct Tap {
  int64_t index;
  double weight;
};

// For each of `out` output pixels along one axis, the source pixels of the `in` it covers
// and their weights (summing to 1). Output pixel o covers [o·in/out, (o+1)·in/out).
std::vector<std::vector<Tap>> area_taps(int64_t in, int64_t out) {
  const double ratio = static_cast<double>(in) / static_cast<double>(out);
  std::vector<std::vector<Tap>> taps(static_cast<size_t>(out));
  for (int64_t o = 0; o < out; ++o) {
    const double lo = static_cast<double>(o) * ratio;
    const double hi = std::min(static_cast<double>(o + 1) * ratio, static_cast<double>(in));
    for (auto j = static_cast<int64_t>(std::floor(lo)); j < in && static_cast<double>(j) < hi; ++j) {
      const double overlap = std::min(hi, static_cast<double>(j + 1)) - std::max(lo, static_cast<double>(j));
      if (overlap > 0) taps[static_cast<size_t>(o)].push_back({j, overlap / ratio});
    }
  }
  return taps;
}

std::vector<float> border_pixels(const GreyImage& image) {
  std::vector<float> border;
  for (int64_t r = 0; r < image.height; ++r) {
    for (int64_t c = 0; c < image.width; ++c) {
      if (r == 0 || r == image.height - 1 || c == 0 || c == image.width - 1) border.push_back(image.at(r, c));
    }
  }
  return border;
}

double median(std::vector<float> values) {
  const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), middle, values.end());
  return *middle;
}

}  // namespace

GreyImage resize_area(const GreyImage& source, int64_t width, int64_t height) {
  if (width < 1 || height < 1 || source.width < 1 || source.height < 1) {
    throw std::invalid_argument("resize_area: cannot resize " + std::to_string(source.width) + "×" +
                                std::to_string(source.height) + " to " + std::to_string(width) + "×" +
                                std::to_string(height));
  }
  // The box filter is separable: along the rows first, then down the columns.
  const auto across = area_taps(source.width, width);
  const auto down = area_taps(source.height, height);
  std::vector<double> rows(static_cast<size_t>(source.height * width));
  for (int64_t r = 0; r < source.height; ++r) {
    for (int64_t c = 0; c < width; ++c) {
      double sum = 0;
      for (const Tap& t : across[static_cast<size_t>(c)]) sum += t.weight * source.at(r, t.index);
      rows[static_cast<size_t>(r * width + c)] = sum;
    }
  }
  GreyImage out(width, height);
  for (int64_t r = 0; r < height; ++r) {
    for (int64_t c = 0; c < width; ++c) {
      double sum = 0;
      for (const Tap& t : down[static_cast<size_t>(r)])
        sum += t.weight * rows[static_cast<size_t>(t.index * width + c)];
      out.at(r, c) = static_cast<float>(sum);
    }
  }
  return out;
}

Point2 center_of_mass(const GreyImage& image) {
  double mass = 0, x = 0, y = 0;
  for (int64_t r = 0; r < image.height; ++r) {
    for (int64_t c = 0; c < image.width; ++c) {
      const double v = image.at(r, c);
      mass += v;
      x += v * static_cast<double>(c);
      y += v * static_cast<double>(r);
    }
  }
  if (mass == 0) return {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN()};
  return {x / mass, y / mass};
}

DigitImage mnist_digit(const GreyImage& source) {
  if (source.width < 1 || source.height < 1) throw std::invalid_argument("the image has no pixels");
  DigitImage digit;

  // 1. Dark writing on light paper is inverted: MNIST's digits are bright on black.
  const std::vector<float> border = border_pixels(source);
  double border_sum = 0;
  for (const float v : border) border_sum += v;
  digit.inverted = border_sum / static_cast<double>(border.size()) > 0.5;
  GreyImage ink = source;
  if (digit.inverted) {
    for (float& v : ink.pixels) v = 1.0f - v;
  }

  // 2. Background to 0, the brightest ink to 1.
  const double background = median(border_pixels(ink));
  const double peak = *std::max_element(ink.pixels.begin(), ink.pixels.end());
  const double contrast = peak - background;
  if (contrast < kMinInkContrast) {
    char text[160];
    std::snprintf(text, sizeof text,
                  "no ink: the image is blank (no pixel stands out from the background by more than %.3f; a digit "
                  "needs %.2f)",
                  std::max(contrast, 0.0), kMinInkContrast);
    throw std::invalid_argument(text);
  }
  for (float& v : ink.pixels) v = static_cast<float>(std::clamp((v - background) / contrast, 0.0, 1.0));

  // 3. The bounding box of the ink.
  int64_t left = ink.width, right = -1, top = ink.height, bottom = -1;
  for (int64_t r = 0; r < ink.height; ++r) {
    for (int64_t c = 0; c < ink.width; ++c) {
      if (ink.at(r, c) < kInkThreshold) continue;
      left = std::min(left, c);
      right = std::max(right, c);
      top = std::min(top, r);
      bottom = std::max(bottom, r);
    }
  }
  digit.box_left = left;
  digit.box_top = top;
  digit.box_width = right - left + 1;
  digit.box_height = bottom - top + 1;
  GreyImage crop(digit.box_width, digit.box_height);
  for (int64_t r = 0; r < crop.height; ++r) {
    for (int64_t c = 0; c < crop.width; ++c) crop.at(r, c) = ink.at(top + r, left + c);
  }

  // 4. Fitted into 20×20, aspect ratio kept, then stretched to a peak of 1.
  const double scale = static_cast<double>(kDigitBox) / static_cast<double>(std::max(crop.width, crop.height));
  const auto fitted = [&](int64_t size) {
    return std::clamp<int64_t>(std::llround(static_cast<double>(size) * scale), 1, kDigitBox);
  };
  GreyImage scaled = resize_area(crop, fitted(crop.width), fitted(crop.height));
  const float scaled_peak = *std::max_element(scaled.pixels.begin(), scaled.pixels.end());
  for (float& v : scaled.pixels) v /= scaled_peak;

  // 5. The centre of mass to pixel (14, 14), by whole pixels.
  const Point2 mass_center = center_of_mass(scaled);
  const double middle = static_cast<double>(kDigitField / 2);
  const int64_t shift_x = std::clamp<int64_t>(std::llround(middle - mass_center.x), 0, kDigitField - scaled.width);
  const int64_t shift_y = std::clamp<int64_t>(std::llround(middle - mass_center.y), 0, kDigitField - scaled.height);

  // 6. Bytes, scaled as the training data.
  digit.image = GreyImage(kDigitField, kDigitField);
  for (int64_t r = 0; r < scaled.height; ++r) {
    for (int64_t c = 0; c < scaled.width; ++c) {
      const double v = std::clamp(static_cast<double>(scaled.at(r, c)), 0.0, 1.0);
      digit.image.at(shift_y + r, shift_x + c) = pixel_from_byte(static_cast<uint8_t>(std::lround(v * 255.0)));
    }
  }
  return digit;
}

}  // namespace nnlab
