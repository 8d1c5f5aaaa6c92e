#include "nnlab/report/html_report.h"

#include <filesystem>

#include "nnlab/io/atomic_file.h"
#include "nnlab/report/svg.h"

namespace nnlab::report {

std::string escape_html(const std::string& text) { return escape_xml(text); }

namespace {

// System fonts only: a web font would be a request to the network.
constexpr const char* kStyle = R"(
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #222;
       max-width: 1100px; margin: 2em auto; padding: 0 1em; line-height: 1.4; }
h1 { margin-bottom: 0.2em; }
.subtitle { color: #666; margin-top: 0; }
.metrics { display: flex; flex-wrap: wrap; gap: 1em; margin: 1.5em 0; }
.metric { border: 1px solid #ddd; border-radius: 6px; padding: 0.6em 1em; min-width: 9em; }
.metric .value { font-size: 1.6em; font-weight: 600; }
.metric .name { color: #666; font-size: 0.9em; }
.warning { background: #fff4e0; border-left: 4px solid #e69f00; padding: 0.5em 1em; margin: 0.5em 0; }
table.settings { border-collapse: collapse; font-size: 0.9em; table-layout: fixed; width: 100%; }
table.settings td { border-bottom: 1px solid #eee; padding: 0.2em 1em 0.2em 0; vertical-align: top; }
table.settings td:first-child { color: #666; width: 11em; }
table.settings td:last-child { overflow-wrap: anywhere; font-family: monospace; }
figure { margin: 1em 0; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: #666; font-size: 0.9em; }
)";

}  // namespace

std::string HtmlReport::render() const {
  std::string html;
  html += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  html += "<title>" + escape_html(title) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n";
  html += "<h1>" + escape_html(title) + "</h1>\n";
  if (!subtitle.empty()) html += "<p class=\"subtitle\">" + escape_html(subtitle) + "</p>\n";
  if (!metrics.empty()) {
    html += "<div class=\"metrics\">\n";
    for (const auto& [name, value] : metrics) {
      html += "<div class=\"metric\"><div class=\"value\">" + escape_html(value) + "</div><div class=\"name\">" +
              escape_html(name) + "</div></div>\n";
    }
    html += "</div>\n";
  }
  for (const auto& warning : warnings) html += "<p class=\"warning\">" + escape_html(warning) + "</p>\n";
  for (const auto& section : sections) {
    html += "<section>\n<h2>" + escape_html(section.heading) + "</h2>\n";
    for (const auto& paragraph : section.paragraphs) html += "<p>" + escape_html(paragraph) + "</p>\n";
    for (const auto& figure : section.figures) {
      // The SVG is markup the charts built (their text already escaped), inlined as it is.
      html += "<figure>\n" + figure.svg + "\n";
      if (!figure.caption.empty()) html += "<figcaption>" + escape_html(figure.caption) + "</figcaption>\n";
      html += "</figure>\n";
    }
    html += "</section>\n";
  }
  if (!settings.empty()) {
    html += "<section>\n<h2>Settings</h2>\n<table class=\"settings\">\n";
    for (const auto& [name, value] : settings) {
      html += "<tr><td>" + escape_html(name) + "</td><td>" + escape_html(value) + "</td></tr>\n";
    }
    html += "</table>\n</section>\n";
  }
  html += "</body>\n</html>\n";
  return html;
}

void HtmlReport::save(const std::string& path) const {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) make_folders(parent.string());
  write_file_atomic(path, render());
}

}  // namespace nnlab::report
