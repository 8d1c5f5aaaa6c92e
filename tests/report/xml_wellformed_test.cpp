// Every kind of chart must be a well-formed XML document: checked here by the
// hand-written check, and by xmllint as well on machines that happen to have it
// (it is not a dependency of nnlab; the test skips that part without it).

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "nnlab/report/grid.h"
#include "nnlab/report/image_grid.h"
#include "report/svg_check.h"
#include "temp_dir.h"

namespace nnlab::report {
namespace {

std::vector<std::pair<std::string, std::string>> one_of_each() {
  LineChart line{.title = "loss <&> \"quoted\"", .x_label = "epoch", .y_label = "loss", .log_y = true};
  line.add("train's", {1, 0.5, NAN, 0.1});
  line.vertical_markers.push_back({.x = 2, .label = "best & last"});
  Histogram histogram{.title = "h", .x_label = "value", .lo = -1, .hi = 1};
  histogram.add_values("a", std::vector<double>{-2, 0, 0.5, 3}, 8);
  Contour contour{.title = "c", .f = [](double x, double y) { return x * x - y * y; }};
  contour.add_path("SGD", {-7, 0, 20}, {0.1, 1, 50});
  Scatter scatter{.title = "s", .log_x = true, .xs = {1e-4, 1e-2}, .ys = {1, 2}, .values = {0.5, NAN}};
  scatter.highlighted = {0};
  scatter.x_band = Range{1e-3, 1e-2};
  Grid grid{.title = "g", .cols = 2, .share_y = true};
  grid.panels = {line, histogram, contour, scatter};
  ImageGrid images{.title = "i", .image_height = 2, .image_width = 2};
  images.add_row("<row>").add(std::vector<double>{0, 1, 2, 3});
  return {{"line", line.render()},       {"histogram", histogram.render()}, {"contour", contour.render()},
          {"scatter", scatter.render()}, {"grid", grid.render()},           {"images", images.render()}};
}

TEST(SvgWellFormedTest, EveryChartKindPassesTheTagBalanceCheck) {
  for (const auto& [name, svg] : one_of_each()) EXPECT_EQ(test::xml_problem(svg), "") << name;
}

TEST(SvgWellFormedTest, TheCheckItselfCatchesBrokenDocuments) {
  EXPECT_NE(test::xml_problem("<svg><g></svg>"), "");
  EXPECT_NE(test::xml_problem("<svg><text>a < b</text></svg>"), "");
  EXPECT_NE(test::xml_problem("<svg><text>a & b</text></svg>"), "");
  EXPECT_NE(test::xml_problem("<svg width=3/>"), "");
  EXPECT_NE(test::xml_problem("<svg/><svg/>"), "");
  EXPECT_EQ(test::xml_problem("<svg a=\"1\"><g><text>x &amp; y</text></g></svg>\n"), "");
}

TEST(SvgWellFormedTest, EveryChartKindPassesXmllintWhereInstalled) {
  if (std::system("command -v xmllint > /dev/null 2>&1") != 0) GTEST_SKIP() << "xmllint is not installed";
  const test::TempDir dir;
  const auto& folder = dir.path();
  for (const auto& [name, svg] : one_of_each()) {
    const auto path = folder / (name + ".svg");
    std::ofstream(path) << svg;
    const std::string command = "xmllint --noout '" + path.string() + "' 2>&1";
    EXPECT_EQ(std::system(command.c_str()), 0) << name;
  }
}

}  // namespace
}  // namespace nnlab::report
