#include "nnlab/report/image_grid.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

#include "nnlab/report/palette.h"
#include "report/svg_check.h"

namespace nnlab::report {
namespace {

TEST(ImageGridTest, ThirtyFiltersBeforeAndAfterAreDrawnCellByCell) {
  ImageGrid grid{.title = "Filters", .image_height = 5, .image_width = 5};
  for (const char* label : {"before", "after"}) {
    auto& row = grid.add_row(label);
    for (int f = 0; f < 30; ++f) {
      std::vector<float> pixels(25);
      for (int p = 0; p < 25; ++p) pixels[p] = static_cast<float>((p * 7 + f) % 25);
      row.add(pixels);
    }
  }
  const std::string svg = grid.render();
  EXPECT_EQ(test::xml_problem(svg), "");
  // 60 images × 25 pixels, a frame per image, and the background.
  EXPECT_EQ(test::elements(svg, "rect").size(), 60u * 25u + 60u + 1u);
  const auto texts = test::texts(svg);
  EXPECT_EQ(test::count_of(texts, "Filters"), 1);
  EXPECT_EQ(test::count_of(texts, "before"), 1);
  EXPECT_EQ(test::count_of(texts, "after"), 1);
}

TEST(ImageGridTest, EachImageIsStretchedToItsOwnRange) {
  ImageGrid grid{.image_height = 1, .image_width = 2};
  auto& row = grid.add_row("");
  row.add(std::vector<double>{0.001, 0.002});
  row.add(std::vector<double>{-50.0, 50.0});
  row.add(std::vector<double>{3.0, 3.0});  // constant: mid grey
  const std::string svg = grid.render();
  int black = 0, white = 0, middle = 0;
  for (const auto& rect : test::elements(svg, "rect")) {
    const std::string fill = test::attribute(rect, "fill");
    black += fill == grey(0) ? 1 : 0;
    white += fill == grey(1) ? 1 : 0;
    middle += fill == grey(0.5) ? 1 : 0;
  }
  EXPECT_EQ(black, 2);
  EXPECT_EQ(white, 2 + 1);  // and the background
  EXPECT_EQ(middle, 2);
}

TEST(ImageGridTest, LongRowsWrapAndCaptionsAppear) {
  ImageGrid grid{.image_height = 2, .image_width = 2, .max_columns = 4};
  auto& row = grid.add_row("misclassified");
  for (int i = 0; i < 10; ++i) {
    row.add(std::vector<double>{0, 1, 2, 3});
    row.captions.push_back(std::to_string(i) + " → 7");
  }
  const std::string svg = grid.render();
  EXPECT_EQ(test::xml_problem(svg), "");
  EXPECT_EQ(test::count_of(test::texts(svg), "9 → 7"), 1);
  ImageGrid one_line = grid;
  one_line.max_columns = 10;
  EXPECT_GT(std::stod(test::attribute(test::elements(svg, "svg")[0], "height")),
            std::stod(test::attribute(test::elements(one_line.render(), "svg")[0], "height")));
}

TEST(ImageGridTest, WrongImageSizeIsRejected) {
  ImageGrid grid{.image_height = 5, .image_width = 5};
  grid.add_row("before").add(std::vector<double>(24, 0.0));
  EXPECT_THROW(grid.render(), std::invalid_argument);
}

}  // namespace
}  // namespace nnlab::report
