#pragma once
// A self-contained HTML page that gathers a run's settings, metrics, warnings and charts.
// Nothing is fetched when it opens (no scripts, fonts, stylesheets or images from
// elsewhere): the style is inline and the SVG charts are part of the page, so it can be
// mailed, archived or opened offline. Every piece of text is escaped.

#include <string>
#include <utility>
#include <vector>

namespace nnlab::report {

struct HtmlFigure {
  std::string svg;      // an SVG document as the charts render it (no XML prolog)
  std::string caption;  // optional
};

struct HtmlSection {
  std::string heading;
  std::vector<std::string> paragraphs{};
  std::vector<HtmlFigure> figures{};
};

struct HtmlReport {
  std::string title;
  std::string subtitle{};
  std::vector<std::pair<std::string, std::string>> metrics{};   // shown first, large: "test accuracy" → "0.9731"
  std::vector<std::string> warnings{};                          // highlighted under the metrics
  std::vector<std::pair<std::string, std::string>> settings{};  // a two-column table
  std::vector<HtmlSection> sections{};

  std::string render() const;
  // Written with write_file_atomic (folders created as needed).
  void save(const std::string& path) const;
};

// &, <, >, " and ' as entities.
std::string escape_html(const std::string& text);

}  // namespace nnlab::report
