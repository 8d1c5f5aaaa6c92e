#include "nnlab/report/image_grid.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "nnlab/report/axes.h"
#include "nnlab/report/palette.h"
#include "nnlab/report/ticks.h"

namespace nnlab::report {

namespace {

constexpr double kPad = 12;
constexpr double kTitleSize = 16;
constexpr double kLabelSize = 13;
constexpr double kCaptionSize = 10;

Range finite_range(const std::vector<double>& pixels) {
  Range range;
  for (const double v : pixels) range.include(v);
  return range;
}

}  // namespace

ImageRow& ImageGrid::add_row(std::string label) {
  rows.push_back({.label = std::move(label)});
  return rows.back();
}

std::string ImageGrid::render() const {
  if (image_height < 1 || image_width < 1) throw std::invalid_argument("image grid needs the image size");
  const size_t expected = static_cast<size_t>(image_height) * static_cast<size_t>(image_width);
  Range overall;
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.images.size(); ++i) {
      if (row.images[i].size() != expected) {
        throw std::invalid_argument("image " + std::to_string(i) + " of row '" + row.label + "' has " +
                                    std::to_string(row.images[i].size()) + " values, expected " +
                                    std::to_string(image_height) + "×" + std::to_string(image_width) + " = " +
                                    std::to_string(expected));
      }
      overall.include(finite_range(row.images[i]));
    }
  }
  const int columns = std::max(1, max_columns);
  const double cell_width = image_width * pixel_size;
  const double cell_height = image_height * pixel_size;
  const double gap = std::max(4.0, pixel_size);
  const bool captions = std::any_of(rows.begin(), rows.end(), [](const ImageRow& r) { return !r.captions.empty(); });
  // Images sit far enough apart for the widest caption (up to three image widths).
  double caption_width = 0;
  for (const auto& row : rows) {
    for (const auto& caption : row.captions) caption_width = std::max(caption_width, text_width(caption, kCaptionSize));
  }
  const double pitch = std::max(cell_width + gap, std::min(caption_width, 3 * cell_width) + 6);
  const double line_height = cell_height + gap + (captions ? kCaptionSize * 1.3 : 0);
  double label_width = 0;
  for (const auto& row : rows) label_width = std::max(label_width, text_width(row.label, kLabelSize));
  const double left = kPad + (label_width > 0 ? label_width + 12 : 0);

  int widest = 1;
  for (const auto& row : rows) widest = std::max(widest, std::min(columns, static_cast<int>(row.images.size())));
  const double title_height = title.empty() ? kPad : kPad + kTitleSize * 1.6;
  double height = title_height;
  for (const auto& row : rows) {
    const int lines = std::max(1, static_cast<int>((row.images.size() + columns - 1) / columns));
    height += lines * line_height + gap;
  }
  height += kPad - gap;
  const double width = std::max(left + widest * pitch - gap / 2 + kPad,
                                title.empty() ? 0.0 : text_width(title, kTitleSize * kBoldWidthScale) + 2 * kPad);

  Svg svg(width, height);
  if (!title.empty()) {
    svg.text({width / 2, kPad + kTitleSize}, title,
             TextStyle{.size = kTitleSize, .anchor = Anchor::middle, .bold = true, .color = "#111111"});
  }
  // crispEdges: neighbouring pixel cells meet without anti-aliased seams.
  svg.begin_group({{"shape-rendering", "crispEdges"}});
  const StrokeStyle frame{.color = "#9a9a9a", .width = 1};
  double y = title_height;
  for (const auto& row : rows) {
    const int lines = std::max(1, static_cast<int>((row.images.size() + columns - 1) / columns));
    if (!row.label.empty()) {
      svg.text({left - 12, y + (lines * line_height - gap) / 2}, row.label,
               TextStyle{.size = kLabelSize, .anchor = Anchor::end, .middle = true, .color = "#222222"});
    }
    for (size_t i = 0; i < row.images.size(); ++i) {
      const double x0 = left + static_cast<double>(i % columns) * pitch + (pitch - gap - cell_width) / 2;
      const double y0 = y + static_cast<double>(i / columns) * line_height;
      const auto& image = row.images[i];
      const Range range = normalize_each ? finite_range(image) : overall;
      const double span = range.empty() ? 0 : range.hi - range.lo;
      for (int r = 0; r < image_height; ++r) {
        for (int c = 0; c < image_width; ++c) {
          const double v = image[static_cast<size_t>(r) * image_width + c];
          // A constant image has no contrast to stretch: mid grey.
          double t = span > 0 ? (v - range.lo) / span : 0.5;
          if (invert) t = 1 - t;
          svg.rect({x0 + c * pixel_size, y0 + r * pixel_size, pixel_size, pixel_size}, grey(t));
        }
      }
      svg.rect({x0, y0, cell_width, cell_height}, "none", &frame);
      if (i < row.captions.size() && !row.captions[i].empty()) {
        svg.text({x0 + cell_width / 2, y0 + cell_height + kCaptionSize * 1.1},
                 fit_text(row.captions[i], kCaptionSize, pitch - 4),
                 TextStyle{.size = kCaptionSize, .anchor = Anchor::middle, .color = "#333333"});
      }
    }
    y += lines * line_height + gap;
  }
  svg.end_group();
  return svg.str();
}

}  // namespace nnlab::report
