#include "nnlab/search/search_space.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "nnlab/io/number_text.h"

namespace nnlab {

namespace {

std::string trim(const std::string& text) {
  const size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string::npos) return "";
  return text.substr(begin, text.find_last_not_of(" \t") - begin + 1);
}

// Integers beyond 2^53 are not all doubles: rounding to whole numbers means nothing there.
constexpr double kMaxInteger = 9007199254740992.0;

double parse_number(const std::string& text, const std::string& part) {
  double value = 0;
  if (!read_number(text, value))
    throw std::invalid_argument("bad number '" + text + "' in search space part '" + part + "'");
  return value;
}

// Names and choices are written back as they are, so they may not hold what the
// grammar splits at.
bool plain_name(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

// Splits at commas outside braces: "a={x,y},b=1..2" → "a={x,y}", "b=1..2".
std::vector<std::string> split_dimensions(const std::string& text) {
  std::vector<std::string> parts;
  std::string current;
  int depth = 0;
  for (char c : text) {
    if (c == '{') ++depth;
    if (c == '}') --depth;
    if (c == ',' && depth == 0) {
      parts.push_back(trim(current));
      current.clear();
    } else {
      current += c;
    }
  }
  parts.push_back(trim(current));
  return parts;
}

Dimension parse_dimension(const std::string& part) {
  const size_t equals = part.find('=');
  if (equals == std::string::npos || equals == 0) {
    throw std::invalid_argument("search space part '" + part + "' is not NAME=LOW..HIGH[:log|:int] or NAME={A,B,...}");
  }
  Dimension d;
  d.name = trim(part.substr(0, equals));
  if (!plain_name(d.name)) {
    throw std::invalid_argument("search space part '" + part + "': the name '" + d.name +
                                "' may hold only letters, digits, '_' and '-'");
  }
  const std::string body = trim(part.substr(equals + 1));
  if (!body.empty() && body.front() == '{') {
    if (body.back() != '}') throw std::invalid_argument("search space part '" + part + "' lacks its closing '}'");
    std::string item;
    for (char c : body.substr(1, body.size() - 2) + ",") {
      if (c != ',') {
        item += c;
        continue;
      }
      if (trim(item).empty()) throw std::invalid_argument("empty choice in search space part '" + part + "'");
      if (item.find_first_of("{}") != std::string::npos) {
        throw std::invalid_argument("choice '" + trim(item) + "' in search space part '" + part + "' holds a brace");
      }
      d.choices.push_back(trim(item));
      item.clear();
    }
    return d;
  }
  const size_t dots = body.find("..");
  if (dots == std::string::npos) {
    throw std::invalid_argument("search space part '" + part + "' needs a range LOW..HIGH or choices {A,B}");
  }
  std::string rest = body.substr(dots + 2);
  std::vector<std::string> scales;
  for (size_t colon; (colon = rest.rfind(':')) != std::string::npos; rest = rest.substr(0, colon)) {
    scales.push_back(trim(rest.substr(colon + 1)));
  }
  d.low = parse_number(trim(body.substr(0, dots)), part);
  d.high = parse_number(trim(rest), part);
  for (const std::string& scale : scales) {
    if (scale == "log") {
      d.log = true;
    } else if (scale == "int") {
      d.integer = true;
    } else if (scale != "linear" && scale != "lin") {
      throw std::invalid_argument("unknown scale '" + scale + "' in search space part '" + part +
                                  "' (choose log, linear, int)");
    }
  }
  if (!(d.low < d.high)) throw std::invalid_argument("search space part '" + part + "' needs LOW < HIGH");
  if (d.log && d.low <= 0) throw std::invalid_argument("log range '" + part + "' needs LOW > 0");
  if (d.integer && (d.low != std::round(d.low) || d.high != std::round(d.high))) {
    throw std::invalid_argument("integer range '" + part + "' needs whole-number ends");
  }
  if (d.integer && (d.low < -kMaxInteger || d.high > kMaxInteger)) {
    throw std::invalid_argument("integer range '" + part + "' must lie within ±2^53 (9007199254740992)");
  }
  return d;
}

// The sampling scale's ends; integers widen by half a step each way so that both
// ends are as likely as the values between them.
std::pair<double, double> scaled_ends(const Dimension& d) {
  double low = d.low;
  double high = d.high;
  if (d.integer) {
    low -= d.log ? std::min(0.5, d.low / 2) : 0.5;
    high += 0.5;
  }
  return d.log ? std::pair{std::log(low), std::log(high)} : std::pair{low, high};
}

}  // namespace

double Dimension::to_unit(double value) const {
  if (is_choice()) return (value + 0.5) / static_cast<double>(choices.size());
  const auto [low_scaled, high_scaled] = scaled_ends(*this);
  const double scaled = log ? std::log(value) : value;
  return std::clamp((scaled - low_scaled) / (high_scaled - low_scaled), 0.0, 1.0);
}

double Dimension::from_unit(double unit) const {
  unit = std::clamp(unit, 0.0, 1.0);
  if (is_choice()) {
    const double count = static_cast<double>(choices.size());
    return std::min(count - 1, std::floor(unit * count));
  }
  const auto [low_scaled, high_scaled] = scaled_ends(*this);
  const double scaled = low_scaled + unit * (high_scaled - low_scaled);
  const double value = log ? std::exp(scaled) : scaled;
  return integer ? std::clamp(std::round(value), low, high) : std::clamp(value, low, high);
}

std::string Dimension::format(double value) const {
  if (is_choice()) return choices.at(static_cast<size_t>(value));
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, integer ? "%.0f" : "%.2g", value);
  return buffer;
}

std::string Dimension::str() const {
  if (is_choice()) {
    std::string text = name + "={";
    for (size_t i = 0; i < choices.size(); ++i) text += (i ? "," : "") + choices[i];
    return text + "}";
  }
  // Every digit that tells the ends apart: the text parses back to this very range.
  // Whole numbers as whole numbers: "1..10000000:int", not "1..1e07:int".
  auto number = [&](double v) {
    char text[32];
    const auto end = std::to_chars(text, text + sizeof text, v, std::chars_format::fixed).ptr;
    return integer ? std::string(text, end) : round_trip_number(v);
  };
  return name + "=" + number(low) + ".." + number(high) + (log ? ":log" : "") + (integer ? ":int" : "");
}

SearchSpace::SearchSpace(std::vector<Dimension> dimensions) : dimensions_(std::move(dimensions)) {
  for (size_t i = 0; i < dimensions_.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (dimensions_[i].name == dimensions_[j].name) {
        throw std::invalid_argument("search space names '" + dimensions_[i].name + "' twice");
      }
    }
  }
}

SearchSpace SearchSpace::parse(const std::string& text) {
  if (trim(text).empty()) throw std::invalid_argument("empty search space");
  std::vector<Dimension> dimensions;
  for (const std::string& part : split_dimensions(text)) {
    if (part.empty()) throw std::invalid_argument("empty part in search space '" + text + "'");
    dimensions.push_back(parse_dimension(part));
  }
  return SearchSpace(std::move(dimensions));
}

int SearchSpace::find(const std::string& name) const {
  for (size_t i = 0; i < dimensions_.size(); ++i) {
    if (dimensions_[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

Point SearchSpace::sample(Rng& rng) const {
  Point point(size());
  for (size_t i = 0; i < size(); ++i) point[i] = dimensions_[i].from_unit(rng.uniform());
  return point;
}

std::vector<double> SearchSpace::to_unit(const Point& point) const {
  std::vector<double> unit(size());
  for (size_t i = 0; i < size(); ++i) unit[i] = dimensions_[i].to_unit(point.at(i));
  return unit;
}

Point SearchSpace::from_unit(const std::vector<double>& unit) const {
  Point point(size());
  for (size_t i = 0; i < size(); ++i) point[i] = dimensions_[i].from_unit(unit.at(i));
  return point;
}

std::string SearchSpace::describe(const Point& point) const {
  std::string text;
  for (size_t i = 0; i < size(); ++i) {
    std::string name = dimensions_[i].name;
    std::replace(name.begin(), name.end(), '_', ' ');
    text += (i ? ", " : "") + name + ": " + dimensions_[i].format(point.at(i));
  }
  return text;
}

std::string SearchSpace::str() const {
  std::string text;
  for (size_t i = 0; i < size(); ++i) text += (i ? "," : "") + dimensions_[i].str();
  return text;
}

}  // namespace nnlab
