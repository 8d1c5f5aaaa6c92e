#include "nnlab/report/svg.h"

#include <charconv>
#include <cmath>
#include <filesystem>

#include "nnlab/io/atomic_file.h"

namespace nnlab::report {

namespace {

constexpr std::string_view kFontFamily = "DejaVu Sans, Helvetica, Arial, sans-serif";

std::string_view anchor_name(Anchor anchor) {
  switch (anchor) {
    case Anchor::start:
      return "start";
    case Anchor::middle:
      return "middle";
    case Anchor::end:
      return "end";
  }
  return "start";
}

void append_stroke(std::string& out, const StrokeStyle& stroke) {
  out += " stroke=\"" + escape_xml(stroke.color) + "\" stroke-width=\"" + format_coordinate(stroke.width) + "\"";
  if (!stroke.dash.empty()) out += " stroke-dasharray=\"" + escape_xml(stroke.dash) + "\"";
  if (stroke.opacity < 1) out += " stroke-opacity=\"" + format_coordinate(stroke.opacity) + "\"";
}

}  // namespace

std::string escape_xml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        // Control characters other than tab and newline are not allowed in XML 1.0 at all.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n') {
          out += ' ';
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string format_coordinate(double value) {
  if (!std::isfinite(value)) return "0";
  const double rounded = std::round(value * 100) / 100;
  char buffer[64];
  auto [end, error] =
      std::to_chars(buffer, buffer + sizeof buffer, rounded == 0 ? 0.0 : rounded, std::chars_format::fixed, 2);
  if (error != std::errc()) return "0";
  std::string out(buffer, end);
  // Trailing zeros carry nothing and make the files a third larger.
  while (out.back() == '0') out.pop_back();
  if (out.back() == '.') out.pop_back();
  return out;
}

Svg::Svg(double width, double height) : width_(width), height_(height) {}

void Svg::element(std::string_view tag, std::initializer_list<Attribute> attributes, std::string_view text) {
  body_ += '<';
  body_ += tag;
  for (const auto& [name, value] : attributes) {
    body_ += ' ';
    body_ += name;
    body_ += "=\"" + escape_xml(value) + '"';
  }
  if (text.empty()) {
    body_ += "/>\n";
  } else {
    body_ += '>' + escape_xml(text) + "</" + std::string(tag) + ">\n";
  }
}

void Svg::rect(const Box& box, std::string_view fill, const StrokeStyle* stroke, double opacity) {
  body_ += "<rect x=\"" + format_coordinate(box.x) + "\" y=\"" + format_coordinate(box.y) + "\" width=\"" +
           format_coordinate(box.width) + "\" height=\"" + format_coordinate(box.height) + "\" fill=\"" +
           escape_xml(fill) + '"';
  if (opacity < 1) body_ += " fill-opacity=\"" + format_coordinate(opacity) + '"';
  if (stroke != nullptr) append_stroke(body_, *stroke);
  body_ += "/>\n";
}

void Svg::line(Point from, Point to, const StrokeStyle& stroke) {
  body_ += "<line x1=\"" + format_coordinate(from.x) + "\" y1=\"" + format_coordinate(from.y) + "\" x2=\"" +
           format_coordinate(to.x) + "\" y2=\"" + format_coordinate(to.y) + '"';
  append_stroke(body_, stroke);
  body_ += "/>\n";
}

void Svg::polylines(const std::vector<std::vector<Point>>& lines, const StrokeStyle& stroke) {
  std::string d;
  for (const auto& line : lines) {
    if (line.size() < 2) continue;
    for (size_t i = 0; i < line.size(); ++i) {
      d += i == 0 ? 'M' : 'L';
      d += format_coordinate(line[i].x) + ',' + format_coordinate(line[i].y);
    }
  }
  if (d.empty()) return;
  body_ += "<path d=\"" + d + "\" fill=\"none\"";
  append_stroke(body_, stroke);
  body_ += " stroke-linejoin=\"round\" stroke-linecap=\"round\"/>\n";
}

void Svg::circle(Point centre, double radius, std::string_view fill, const StrokeStyle* stroke) {
  body_ += "<circle cx=\"" + format_coordinate(centre.x) + "\" cy=\"" + format_coordinate(centre.y) + "\" r=\"" +
           format_coordinate(radius) + "\" fill=\"" + escape_xml(fill) + '"';
  if (stroke != nullptr) append_stroke(body_, *stroke);
  body_ += "/>\n";
}

void Svg::text(Point at, std::string_view content, const TextStyle& style) {
  const double y = style.middle ? at.y + style.size * 0.35 : at.y;
  body_ += "<text x=\"" + format_coordinate(at.x) + "\" y=\"" + format_coordinate(y) + "\" font-size=\"" +
           format_coordinate(style.size) + '"';
  if (style.anchor != Anchor::start) body_ += " text-anchor=\"" + std::string(anchor_name(style.anchor)) + '"';
  if (style.bold) body_ += " font-weight=\"bold\"";
  body_ += " fill=\"" + escape_xml(style.color) + '"';
  if (style.rotate != 0) {
    body_ += " transform=\"rotate(" + format_coordinate(style.rotate) + ' ' + format_coordinate(at.x) + ' ' +
             format_coordinate(at.y) + ")\"";
  }
  body_ += '>' + escape_xml(content) + "</text>\n";
}

void Svg::begin_group(std::initializer_list<Attribute> attributes) {
  body_ += "<g";
  for (const auto& [name, value] : attributes) {
    body_ += ' ';
    body_ += name;
    body_ += "=\"" + escape_xml(value) + '"';
  }
  body_ += ">\n";
  ++open_groups_;
}

void Svg::end_group() {
  if (open_groups_ == 0) return;
  body_ += "</g>\n";
  --open_groups_;
}

std::string Svg::str() const {
  const std::string w = format_coordinate(width_);
  const std::string h = format_coordinate(height_);
  std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + w + "\" height=\"" + h +
                    "\" viewBox=\"0 0 " + w + ' ' + h + "\" font-family=\"" + std::string(kFontFamily) + "\">\n";
  out += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
  out += body_;
  for (int i = 0; i < open_groups_; ++i) out += "</g>\n";
  out += "</svg>\n";
  return out;
}

double text_width(std::string_view text, double font_size) {
  double em = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c & 0xC0) == 0x80) continue;  // UTF-8 continuation byte: counted with its lead byte
    if (c >= 0x80) {
      em += 0.45;  // superscript digits, minus signs, dashes: narrower than a letter
    } else if (std::string_view(" .,:;'!|ijlrtf()[]").find(static_cast<char>(c)) != std::string_view::npos) {
      em += 0.34;
    } else if (c == 'm' || c == 'w' || c == 'M' || c == 'W' || c == '%') {
      em += 0.9;
    } else if (c >= 'A' && c <= 'Z') {
      em += 0.7;
    } else {
      em += 0.6;
    }
  }
  return em * font_size;
}

std::string fit_text(const std::string& text, double font_size, double max_width) {
  if (text_width(text, font_size) <= max_width) return text;
  std::string shortened = text;
  while (!shortened.empty()) {
    // Drop one whole UTF-8 character: its continuation bytes, then its lead byte.
    while (!shortened.empty()) {
      const auto c = static_cast<unsigned char>(shortened.back());
      shortened.pop_back();
      if ((c & 0xC0) != 0x80) break;
    }
    if (text_width(shortened + "…", font_size) <= max_width) return shortened + "…";
  }
  return "…";
}

void write_svg(const std::string& path, std::string_view svg) {
  const std::filesystem::path target(path);
  if (target.has_parent_path()) make_folders(target.parent_path().string());
  write_file_atomic(path, svg);
}

}  // namespace nnlab::report
