#include "nnlab/report/svg.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "nnlab/report/axes.h"
#include "nnlab/report/legend.h"
#include "nnlab/report/palette.h"
#include "report/svg_check.h"
#include "temp_dir.h"

namespace nnlab::report {
namespace {

TEST(SvgTest, EscapesTheFiveSpecialCharacters) {
  EXPECT_EQ(escape_xml("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;");
  EXPECT_EQ(escape_xml("plain"), "plain");
  EXPECT_EQ(escape_xml("x²/20 − y"), "x²/20 − y");          // UTF-8 passes through
  EXPECT_EQ(escape_xml(std::string("bell\x07")), "bell ");  // not allowed in XML at all
}

TEST(SvgTest, TextAndAttributesAreEscapedInTheDocument) {
  Svg svg(100, 50);
  svg.text({1, 2}, "loss < 0.1 & \"best\"", TextStyle{});
  svg.element("rect", {{"id", "a\"b"}, {"width", "3"}});
  const std::string doc = svg.str();
  EXPECT_NE(doc.find("loss &lt; 0.1 &amp; &quot;best&quot;"), std::string::npos);
  EXPECT_NE(doc.find("id=\"a&quot;b\""), std::string::npos);
  EXPECT_EQ(test::xml_problem(doc), "");
}

TEST(SvgTest, DocumentHasAViewBoxAndClosesOpenGroups) {
  Svg svg(640, 400);
  svg.begin_group({{"opacity", "0.5"}});
  svg.circle({3, 4}, 2, "#000000");
  const std::string doc = svg.str();
  EXPECT_NE(doc.find("viewBox=\"0 0 640 400\""), std::string::npos);
  EXPECT_NE(doc.find("xmlns=\"http://www.w3.org/2000/svg\""), std::string::npos);
  EXPECT_EQ(test::xml_problem(doc), "");
}

TEST(SvgTest, CoordinatesHaveAtMostTwoDecimals) {
  EXPECT_EQ(format_coordinate(12.5), "12.5");
  EXPECT_EQ(format_coordinate(3.14159), "3.14");
  EXPECT_EQ(format_coordinate(-0.001), "0");
  EXPECT_EQ(format_coordinate(7), "7");
  EXPECT_EQ(format_coordinate(NAN), "0");
}

TEST(SvgTest, PolylinesMakeOnePathWithAMoveForEachPiece) {
  Svg svg(10, 10);
  svg.polylines({{{0, 0}, {1, 1}}, {{2, 2}, {3, 3}, {4, 4}}, {{5, 5}}}, StrokeStyle{.color = "#123456"});
  const auto paths = test::elements(svg.str(), "path");
  ASSERT_EQ(paths.size(), 1u);
  const std::string d = test::attribute(paths[0], "d");
  EXPECT_EQ(d, "M0,0L1,1M2,2L3,3L4,4");
  EXPECT_EQ(test::attribute(paths[0], "stroke"), "#123456");
}

TEST(SvgTest, WriteSvgCreatesTheFolderAndTheFile) {
  const test::TempDir dir;
  const std::string path = (dir.path() / "sub" / "chart.svg").string();
  Svg svg(10, 10);
  write_svg(path, svg.str());
  std::ifstream in(path);
  std::stringstream contents;
  contents << in.rdbuf();
  EXPECT_EQ(contents.str(), svg.str());
}

TEST(SvgTest, TextWidthGrowsWithLengthAndSize) {
  EXPECT_GT(text_width("validation", 12), text_width("train", 12));
  EXPECT_DOUBLE_EQ(text_width("abc", 24), 2 * text_width("abc", 12));
  EXPECT_LT(text_width("10⁻³", 12), text_width("10000", 12));  // counted per character, not per byte
}

TEST(ChartAxesTest, ClipCutsSegmentsAtTheBoxEdges) {
  const Box box{0, 0, 10, 10};
  const auto pieces = clip_polyline({{-5, 5}, {5, 5}, {15, 5}}, box);
  ASSERT_EQ(pieces.size(), 1u);
  ASSERT_EQ(pieces[0].size(), 3u);
  EXPECT_DOUBLE_EQ(pieces[0][0].x, 0);
  EXPECT_DOUBLE_EQ(pieces[0][2].x, 10);
}

TEST(ChartAxesTest, ClipBreaksAtNaNAndWhereTheLineLeaves) {
  const Box box{0, 0, 10, 10};
  const auto pieces = clip_polyline({{1, 1}, {2, 2}, {NAN, 3}, {4, 4}, {5, 5}, {50, 5}, {6, 6}, {7, 7}}, box);
  ASSERT_EQ(pieces.size(), 3u);
  EXPECT_DOUBLE_EQ(pieces[1].back().x, 10);   // left through the right edge
  EXPECT_DOUBLE_EQ(pieces[2].front().x, 10);  // came back in
}

TEST(ChartAxesTest, ClipSurvivesHugeCoordinates) {
  const auto pieces = clip_polyline({{5, 5}, {1e300, 1e300}}, {0, 0, 10, 10});
  ASSERT_EQ(pieces.size(), 1u);
  EXPECT_NEAR(pieces[0][1].x, 10, 1e-6);
  EXPECT_NEAR(pieces[0][1].y, 10, 1e-4);
}

TEST(ChartAxesTest, LongTextIsShortenedWithAnEllipsis) {
  const std::string text = "a very long title that will not fit";
  const std::string fitted = fit_text(text, 12, 80);
  EXPECT_LE(text_width(fitted, 12), 80);
  EXPECT_EQ(fitted.substr(fitted.size() - 3), "…");
  EXPECT_EQ(fit_text("short", 12, 80), "short");
}

TEST(ChartAxesTest, LegendAvoidsTheCornerWithData) {
  // Data fills the top right; the legend must go elsewhere.
  std::vector<std::vector<Point>> occupied;
  for (int i = 0; i < 50; ++i) occupied.push_back({{300 + 2.0 * i, 10 + 1.0 * i}});
  Svg svg(400, 300);
  draw_legend(svg, {{.name = "train", .color = "#0072B2"}}, {0, 0, 400, 300}, occupied, Fonts{});
  const auto rects = test::elements(svg.str(), "rect");
  ASSERT_EQ(rects.size(), 2u);  // the document's background and the legend's box
  EXPECT_LT(std::stod(test::attribute(rects[1], "x")), 200);
}

TEST(ChartPaletteTest, PaletteIsOkabeItoAndViridisSpansItsEnds) {
  EXPECT_EQ(series_color(0), "#0072B2");
  EXPECT_EQ(series_color(8), series_color(0));
  EXPECT_EQ(series_dash(0), "");
  EXPECT_NE(series_dash(8), "");
  EXPECT_EQ(viridis(0), "#440154");
  EXPECT_EQ(viridis(1), "#fde725");
  EXPECT_EQ(viridis(2), "#fde725");
  EXPECT_EQ(grey(0), "#000000");
  EXPECT_EQ(grey(1), "#ffffff");
}

}  // namespace
}  // namespace nnlab::report
