#pragma once
// Helpers for the chart tests: a small XML well-formedness check (tags nest
// and balance, attributes are quoted, entities are known) and ways to pick
// elements and attributes out of a produced document.

#include <cctype>
#include <string>
#include <string_view>
#include <vector>

namespace nnlab::test {

// Empty when `xml` is well-formed, else what is wrong and where.
inline std::string xml_problem(std::string_view xml) {
  std::vector<std::string> open;
  size_t i = 0;
  auto check_entities = [&](std::string_view text, size_t at) -> std::string {
    for (size_t k = 0; k < text.size(); ++k) {
      if (text[k] == '<') return "raw < at " + std::to_string(at + k);
      if (text[k] != '&') continue;
      const size_t end = text.find(';', k);
      if (end == std::string_view::npos) return "unterminated entity at " + std::to_string(at + k);
      const std::string_view name = text.substr(k + 1, end - k - 1);
      const bool known = name == "amp" || name == "lt" || name == "gt" || name == "quot" || name == "apos" ||
                         (!name.empty() && name[0] == '#');
      if (!known) return "unknown entity &" + std::string(name) + "; at " + std::to_string(at + k);
      k = end;
    }
    return "";
  };
  bool root_seen = false;
  while (i < xml.size()) {
    const size_t lt = xml.find('<', i);
    const std::string_view text = xml.substr(i, lt == std::string_view::npos ? std::string_view::npos : lt - i);
    if (auto problem = check_entities(text, i); !problem.empty()) return problem;
    if (open.empty() && root_seen && text.find_first_not_of(" \n\r\t") != std::string_view::npos) {
      return "text after the root element";
    }
    if (lt == std::string_view::npos) break;
    if (xml.substr(lt, 4) == "<!--") {
      const size_t end = xml.find("-->", lt);
      if (end == std::string_view::npos) return "unterminated comment";
      i = end + 3;
      continue;
    }
    size_t k = lt + 1;
    const bool closing = k < xml.size() && xml[k] == '/';
    if (closing) ++k;
    const size_t name_start = k;
    while (k < xml.size() && (std::isalnum(static_cast<unsigned char>(xml[k])) || xml[k] == '-' || xml[k] == ':')) ++k;
    const std::string name(xml.substr(name_start, k - name_start));
    if (name.empty()) return "tag without a name at " + std::to_string(lt);
    if (closing) {
      if (open.empty() || open.back() != name) return "unbalanced </" + name + "> at " + std::to_string(lt);
      open.pop_back();
      k = xml.find('>', k);
      if (k == std::string_view::npos) return "unterminated closing tag";
      i = k + 1;
      continue;
    }
    if (open.empty() && root_seen) return "second root element <" + name + ">";
    // Attributes: name="value" pairs, then > or />.
    while (true) {
      while (k < xml.size() && std::isspace(static_cast<unsigned char>(xml[k]))) ++k;
      if (k >= xml.size()) return "unterminated tag <" + name + ">";
      if (xml[k] == '>') {
        open.push_back(name);
        root_seen = true;
        ++k;
        break;
      }
      if (xml.substr(k, 2) == "/>") {
        root_seen = true;
        k += 2;
        break;
      }
      const size_t attribute_start = k;
      while (k < xml.size() && (std::isalnum(static_cast<unsigned char>(xml[k])) || xml[k] == '-' || xml[k] == ':'))
        ++k;
      if (k == attribute_start) return "bad attribute in <" + name + "> at " + std::to_string(k);
      if (k >= xml.size() || xml[k] != '=') return "attribute without a value in <" + name + ">";
      ++k;
      if (k >= xml.size() || (xml[k] != '"' && xml[k] != '\'')) return "unquoted attribute in <" + name + ">";
      const char quote = xml[k];
      const size_t value_end = xml.find(quote, k + 1);
      if (value_end == std::string_view::npos) return "unterminated attribute in <" + name + ">";
      if (auto problem = check_entities(xml.substr(k + 1, value_end - k - 1), k + 1); !problem.empty()) return problem;
      k = value_end + 1;
    }
    i = k;
  }
  if (!open.empty()) return "unclosed <" + open.back() + ">";
  if (!root_seen) return "no root element";
  return "";
}

// Every start tag of `tag`, e.g. all `<path …/>` of a document, as written.
inline std::vector<std::string> elements(const std::string& svg, const std::string& tag) {
  std::vector<std::string> found;
  const std::string start = "<" + tag + " ";
  for (size_t at = svg.find(start); at != std::string::npos; at = svg.find(start, at + 1)) {
    found.push_back(svg.substr(at, svg.find('>', at) - at + 1));
  }
  return found;
}

// The value of one attribute of an element as returned by elements(); empty if absent.
inline std::string attribute(const std::string& element, const std::string& name) {
  const std::string key = " " + name + "=\"";
  const size_t at = element.find(key);
  if (at == std::string::npos) return "";
  const size_t begin = at + key.size();
  return element.substr(begin, element.find('"', begin) - begin);
}

// The contents of every <text> element, entities left as written.
inline std::vector<std::string> texts(const std::string& svg) {
  std::vector<std::string> found;
  for (size_t at = svg.find("<text "); at != std::string::npos; at = svg.find("<text ", at + 1)) {
    const size_t begin = svg.find('>', at) + 1;
    found.push_back(svg.substr(begin, svg.find("</text>", begin) - begin));
  }
  return found;
}

inline int count_of(const std::vector<std::string>& items, const std::string& value) {
  int n = 0;
  for (const auto& item : items) n += item == value ? 1 : 0;
  return n;
}

}  // namespace nnlab::test
