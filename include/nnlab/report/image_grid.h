#pragma once
// A grid of small grey-scale images: the learnt filters of a first convolution
// layer before and after training, or misclassified digits with their labels.
// Pixels are drawn as <rect> cells, so the file needs no image encoder and
// stays sharp at any zoom.

#include <span>
#include <string>
#include <vector>

#include "nnlab/report/svg.h"

namespace nnlab::report {

struct ImageRow {
  std::string label{};                        // shown left of the row: "before", "after"
  std::vector<std::vector<double>> images{};  // each image_height × image_width values, row-major
  std::vector<std::string> captions{};        // optional, one under each image: "7 → 1"

  void add(std::span<const double> pixels) { images.emplace_back(pixels.begin(), pixels.end()); }
  void add(std::span<const float> pixels) { images.emplace_back(pixels.begin(), pixels.end()); }
};

struct ImageGrid {
  std::string title{};
  int image_height = 0;
  int image_width = 0;
  std::vector<ImageRow> rows{};
  int max_columns = 10;   // images per line; a longer row wraps onto further lines
  double pixel_size = 6;  // one image pixel in the document, in pixels
  // Each image stretched to its own min..max (filters differ in scale); false:
  // one scale over all images, to compare magnitudes.
  bool normalize_each = true;
  bool invert = false;  // dark for high values, as filters are often shown

  ImageRow& add_row(std::string label);

  // Throws std::invalid_argument when an image does not have image_height × image_width values.
  std::string render() const;
};

}  // namespace nnlab::report
