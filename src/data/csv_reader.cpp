#include "nnlab/data/csv_reader.h"

#include <csv.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <limits>
#include <memory>
#include <stdexcept>
#include <unordered_map>

#include "nnlab/io/number_text.h"

namespace nnlab {

namespace {

// The delimiter the first line uses most often outside quotes (',' when none appears).
char detect_delimiter(const std::string& first_line) {
  std::array<int64_t, 4> counts{};
  constexpr std::array<char, 4> candidates{',', ';', '\t', '|'};
  bool quoted = false;
  for (char ch : first_line) {
    if (ch == '"') quoted = !quoted;
    if (quoted) continue;
    for (size_t i = 0; i < candidates.size(); ++i) counts[i] += ch == candidates[i];
  }
  const auto best = std::max_element(counts.begin(), counts.end());
  return *best > 0 ? candidates[static_cast<size_t>(best - counts.begin())] : ',';
}

bool is_number(const std::string& cell, double& value) { return read_number(cell, value); }

std::string quoted_cell(const std::string& cell) { return "'" + printable(cell) + "'"; }

// Collects libcsv's fields into rows and rows into columns. Its callbacks run inside libcsv's C
// code, which an exception must not cross: the first problem is kept (failed()) and the rest of
// the input ignored, and the caller throws it once libcsv has returned.
class Builder {
 public:
  Builder(std::string path, const CsvLimits& limits) : limits_(limits) { table_.path = std::move(path); }

  void field(const char* data, size_t size) {
    if (failed()) return;
    if (static_cast<int64_t>(size) > limits_.max_field_bytes) {
      fail(line_,
           "a field of " + std::to_string(size) + " bytes (at most " + std::to_string(limits_.max_field_bytes) + ")");
    }
    if (static_cast<int64_t>(row_.size()) >= limits_.max_columns) {
      fail(line_, "more than " + std::to_string(limits_.max_columns) + " fields in a row");
    }
    if (failed()) return;
    row_.emplace_back(data, size);
    embedded_newlines_ += std::count(data, data + size, '\n');
  }

  // The end of a record, `terminator` the character that ended it ('\r', '\n', or -1 at the end).
  // With CSV_REPALL_NL libcsv reports every line end outside a record as an empty record, so
  // that blank lines count; the '\n' of a CRLF pair is one of those and does not.
  void end_row(int terminator) {
    if (failed()) return;
    const bool crlf_tail = row_.empty() && terminator == '\n' && last_terminator_ == '\r';
    last_terminator_ = terminator;
    const int64_t line = line_;
    if (!crlf_tail && terminator != -1) line_ += 1;
    line_ += embedded_newlines_;
    embedded_newlines_ = 0;
    if (row_.empty()) return;  // a blank line
    if (!header_done_) {
      take_header(line);
    } else {
      take_row(line);
    }
    row_.clear();
  }

  bool failed() const { return !error_.empty(); }
  // Throws the problem found, if any.
  void check() const {
    if (failed()) throw std::runtime_error(error_);
  }

  CsvColumns finish() {
    check();
    if (!header_done_) throw std::runtime_error(table_.path + ": empty file: no header and no rows");
    if (table_.rows == 0) throw std::runtime_error(table_.path + ": a header and no rows of data");
    return std::move(table_);
  }

  // Keeps the first problem; the callbacks then ignore the rest.
  void fail(int64_t line, const std::string& what) {
    if (!failed()) error_ = table_.path + ":" + std::to_string(line) + ": " + what;
  }
  int64_t line() const { return line_; }

 private:
  void take_header(int64_t line) {
    header_done_ = true;
    double unused = 0;
    table_.has_header =
        !std::all_of(row_.begin(), row_.end(), [&](const std::string& c) { return is_number(c, unused); });
    std::unordered_map<std::string, int> seen;
    for (size_t i = 0; i < row_.size(); ++i) {
      CsvColumn column;
      column.name = table_.has_header ? row_[i] : std::to_string(i);
      if (table_.has_header && column.name.empty()) column.name = std::to_string(i);
      if (seen[column.name]++ > 0) {
        return fail(line, "column " + std::to_string(i + 1) + ": the name '" + printable(column.name) +
                              "' is taken by an earlier column");
      }
      table_.columns.push_back(std::move(column));
    }
    if (!table_.has_header) take_row(line);
  }

  void take_row(int64_t line) {
    if (row_.size() != table_.columns.size()) {
      return fail(
          line,
          std::to_string(row_.size()) + " fields, the header has " + std::to_string(table_.columns.size()) +
              (row_.size() < table_.columns.size() ? " (a ragged row)" : " (a ragged row, or an unquoted delimiter)"));
    }
    for (size_t i = 0; i < row_.size(); ++i) {
      CsvColumn& column = table_.columns[i];
      const std::string& cell = row_[i];
      const std::string where = "column " + std::to_string(i + 1) + " (" + printable(column.name) + ")";
      if (table_.rows == 0) column.numeric = !cell.empty() && is_number(cell, value_);
      if (cell.empty()) return fail(line, where + ": empty cell (fill in the missing value or drop the row)");
      if (column.numeric) {
        if (!is_number(cell, value_)) {
          return fail(line, where + ": " + quoted_cell(cell) + " is not a number, and the column's first value (line " +
                                std::to_string(table_.lines.front()) + ") is");
        }
        if (std::abs(value_) > std::numeric_limits<float>::max()) {
          return fail(line, where + ": " + quoted_cell(cell) + " is beyond the range of a float (±3.4e38)");
        }
        column.values.push_back(static_cast<float>(value_));
      } else {
        auto& codes = category_codes_[i];
        const auto [it, added] = codes.try_emplace(cell, static_cast<int32_t>(column.categories.size()));
        if (added) column.categories.push_back(cell);
        column.codes.push_back(it->second);
      }
    }
    table_.lines.push_back(line);
    table_.rows += 1;
  }

  CsvLimits limits_;
  CsvColumns table_;
  std::string error_;
  std::vector<std::string> row_;
  std::unordered_map<size_t, std::unordered_map<std::string, int32_t>> category_codes_;
  bool header_done_ = false;
  int64_t line_ = 1;
  int64_t embedded_newlines_ = 0;
  int last_terminator_ = 0;
  double value_ = 0;
};

void on_field(void* data, size_t size, void* builder) {
  static const char nothing = 0;
  static_cast<Builder*>(builder)->field(data != nullptr ? static_cast<const char*>(data) : &nothing, size);
}
void on_row(int terminator, void* builder) { static_cast<Builder*>(builder)->end_row(terminator); }

// Feeds blocks from `read` (which fills the buffer and returns the bytes read, 0 at the end) to libcsv.
CsvColumns parse(const std::string& name, const std::string& first_line, const CsvLimits& limits,
                 const std::function<size_t(char*, size_t)>& read) {
  csv_parser parser;
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL) != 0)
    throw std::runtime_error(name + ": cannot start the CSV parser");
  const std::unique_ptr<csv_parser, void (*)(csv_parser*)> owner(&parser, csv_free);
  const char delimiter = detect_delimiter(first_line);
  csv_set_delim(&parser, static_cast<unsigned char>(delimiter));
  Builder builder(name, limits);
  std::vector<char> block(1 << 20);
  while (const size_t got = read(block.data(), block.size())) {
    const bool parsed = csv_parse(&parser, block.data(), got, on_field, on_row, &builder) == got;
    builder.check();
    if (!parsed) {
      builder.fail(builder.line(), std::string("bad CSV: ") + csv_strerror(csv_error(&parser)) +
                                       " (a quote inside a field must be doubled, and a quoted field closed)");
      builder.check();
    }
  }
  const bool closed = csv_fini(&parser, on_field, on_row, &builder) == 0;
  builder.check();
  if (!closed) {
    builder.fail(builder.line(), std::string("bad CSV at the end of the file: ") + csv_strerror(csv_error(&parser)) +
                                     " (a quoted field is not closed)");
    builder.check();
  }
  CsvColumns table = builder.finish();
  table.delimiter = delimiter;
  return table;
}

}  // namespace

std::string printable(const std::string& text) {
  std::string shown;
  for (size_t i = 0; i < text.size() && i < 40; ++i) {
    const auto ch = static_cast<unsigned char>(text[i]);
    if (ch == '\n') {
      shown += "\\n";
    } else if (ch == '\r') {
      shown += "\\r";
    } else if (ch == '\t') {
      shown += "\\t";
    } else if (ch < 0x20 || ch == 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", ch);
      shown += escaped;
    } else {
      shown += static_cast<char>(ch);
    }
  }
  return text.size() > 40 ? shown + "..." : shown;
}

size_t CsvColumns::index_of(const std::string& key) const {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == key) return i;
  }
  double number = 0;
  if (read_number(key, number) && number == static_cast<double>(static_cast<int64_t>(number))) {
    const auto n = static_cast<int64_t>(columns.size());
    const auto i = static_cast<int64_t>(number) < 0 ? n + static_cast<int64_t>(number) : static_cast<int64_t>(number);
    if (i >= 0 && i < n) return static_cast<size_t>(i);
  }
  std::string names;
  for (size_t i = 0; i < columns.size() && i < 30; ++i) names += (i ? ", " : "") + printable(columns[i].name);
  if (columns.size() > 30) names += ", ...";
  throw std::runtime_error(path + ": no column '" + printable(key) + "' (the columns: " + names +
                           "; or give a 0-based index)");
}

const CsvColumn& CsvColumns::column(const std::string& key) const { return columns[index_of(key)]; }

CsvColumns read_csv_columns(const std::string& path, const CsvLimits& limits) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot open: " + std::strerror(errno));
  std::string first_line;
  std::getline(in, first_line);
  in.clear();
  in.seekg(0);
  return parse(path, first_line, limits, [&](char* buffer, size_t size) {
    in.read(buffer, static_cast<std::streamsize>(size));
    return static_cast<size_t>(in.gcount());
  });
}

CsvColumns parse_csv_columns(const std::string& text, const std::string& name, const CsvLimits& limits) {
  size_t offset = 0;
  return parse(name, text.substr(0, text.find('\n')), limits, [&](char* buffer, size_t size) {
    const size_t n = std::min(size, text.size() - offset);
    std::memcpy(buffer, text.data() + offset, n);
    offset += n;
    return n;
  });
}

}  // namespace nnlab
