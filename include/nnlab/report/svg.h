#pragma once
// A tiny SVG builder: the charts emit elements through it so that every piece
// of text is escaped and every number is written the same, locale-free way.
// The document has a viewBox, so it scales to whatever size it is shown at, and
// no XML prolog, so it can be written to a file or inlined in an HTML page.

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nnlab::report {

struct Point {
  double x = 0;
  double y = 0;
};

// A rectangle in pixels, y growing downwards as in SVG.
struct Box {
  double x = 0;
  double y = 0;
  double width = 0;
  double height = 0;

  double right() const { return x + width; }
  double bottom() const { return y + height; }
  bool contains(Point p) const { return p.x >= x && p.x <= right() && p.y >= y && p.y <= bottom(); }
};

// &, <, >, " and ' become entities; fit for both text and attribute values.
std::string escape_xml(std::string_view text);

// A coordinate with at most two decimals and no trailing zeros ("12.5", "-3", "0.25").
std::string format_coordinate(double value);

enum class Anchor { start, middle, end };

struct TextStyle {
  double size = 12;
  Anchor anchor = Anchor::start;
  bool bold = false;
  // Shifts the text down by about a third of its size so that `at` is its vertical middle.
  bool middle = false;
  std::string color = "#222222";
  double rotate = 0;  // degrees about the anchor point, e.g. -90 for a y-axis label
};

struct StrokeStyle {
  std::string color = "#000000";
  double width = 1;
  std::string dash = "";  // SVG dash array, e.g. "6 4"; empty for a solid line
  double opacity = 1;
};

class Svg {
 public:
  using Attribute = std::pair<std::string_view, std::string>;

  Svg(double width, double height);

  double width() const { return width_; }
  double height() const { return height_; }

  // Any element; attribute values and text are escaped here.
  void element(std::string_view tag, std::initializer_list<Attribute> attributes, std::string_view text = {});

  void rect(const Box& box, std::string_view fill, const StrokeStyle* stroke = nullptr, double opacity = 1);
  void line(Point from, Point to, const StrokeStyle& stroke);
  // One <path> holding every polyline (each a run of two or more points): a
  // series broken by missing values stays one element.
  void polylines(const std::vector<std::vector<Point>>& lines, const StrokeStyle& stroke);
  void circle(Point centre, double radius, std::string_view fill, const StrokeStyle* stroke = nullptr);
  void text(Point at, std::string_view content, const TextStyle& style);

  void begin_group(std::initializer_list<Attribute> attributes);
  void end_group();

  // The finished document; open groups are closed.
  std::string str() const;

 private:
  double width_;
  double height_;
  std::string body_;
  int open_groups_ = 0;
};

// A rough width of a line of text in the charts' sans-serif font, used for
// layout (margins, legends, overlap checks) since SVG cannot measure text.
double text_width(std::string_view text, double font_size);
// Bold glyphs (titles) are about this much wider than text_width's regular ones.
inline constexpr double kBoldWidthScale = 1.12;

// `text`, shortened with an ellipsis if it is wider than max_width.
std::string fit_text(const std::string& text, double font_size, double max_width);

// Writes the document with write_file_atomic, creating the folder if needed.
void write_svg(const std::string& path, std::string_view svg);

}  // namespace nnlab::report
