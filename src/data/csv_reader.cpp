#include "nnlab/data/csv_reader.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <limits>
#include <stdexcept>
#include <unordered_map>

#include "nnlab/io/number_text.h"

namespace nnlab {

namespace {

bool is_number(const std::string& cell, double& value) { return read_number(cell, value); }

std::string quoted_cell(const std::string& cell) { return "'" + printable(cell) + "'"; }

// Collects the records into columns: the first is the header (unless every cell of it is a
// number), each later one a row of values.
class Builder {
 public:
  explicit Builder(std::string path) { table_.path = std::move(path); }

  void record(const std::vector<std::string>& row, int64_t line) {
    if (!header_done_) {
      take_header(row, line);
    } else {
      take_row(row, line);
    }
  }

  CsvColumns finish() {
    if (!header_done_) throw std::runtime_error(table_.path + ": empty file: no header and no rows");
    if (table_.rows == 0) throw std::runtime_error(table_.path + ": a header and no rows of data");
    return std::move(table_);
  }

 private:
  [[noreturn]] void fail(int64_t line, const std::string& what) const {
    throw std::runtime_error(table_.path + ":" + std::to_string(line) + ": " + what);
  }

  void take_header(const std::vector<std::string>& row, int64_t line) {
    header_done_ = true;
    double unused = 0;
    table_.has_header =
        !std::all_of(row.begin(), row.end(), [&](const std::string& c) { return is_number(c, unused); });
    std::unordered_map<std::string, int> seen;
    for (size_t i = 0; i < row.size(); ++i) {
      CsvColumn column;
      column.name = table_.has_header ? row[i] : std::to_string(i);
      if (table_.has_header && column.name.empty()) column.name = std::to_string(i);
      if (seen[column.name]++ > 0) {
        fail(line, "column " + std::to_string(i + 1) + ": the name '" + printable(column.name) +
                       "' is taken by an earlier column");
      }
      table_.columns.push_back(std::move(column));
    }
    if (!table_.has_header) take_row(row, line);
  }

  void take_row(const std::vector<std::string>& row, int64_t line) {
    if (row.size() != table_.columns.size()) fail(line, ragged_row(row.size(), table_.columns.size()));
    for (size_t i = 0; i < row.size(); ++i) {
      CsvColumn& column = table_.columns[i];
      const std::string& cell = row[i];
      if (table_.rows == 0) column.numeric = !cell.empty() && is_number(cell, value_);
      const std::string problem =
          cell_problem(cell, i, column.name, column.numeric, table_.rows == 0 ? line : table_.lines.front(), value_);
      if (!problem.empty()) fail(line, problem);
      if (column.numeric) {
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

  CsvColumns table_;
  std::unordered_map<size_t, std::unordered_map<std::string, int32_t>> category_codes_;
  bool header_done_ = false;
  double value_ = 0;
};

// Feeds blocks from `read` (which fills the buffer and returns the bytes read, 0 at the end) to libcsv.
CsvColumns parse(const std::string& name, const std::string& first_line, const CsvLimits& limits,
                 const std::function<size_t(char*, size_t)>& read) {
  const char delimiter = detect_delimiter(first_line);
  Builder builder(name);
  CsvRecordParser parser(name, delimiter, limits, 1,
                         [&](std::vector<std::string>& row, int64_t line) { builder.record(row, line); });
  std::vector<char> block(1 << 20);
  while (const size_t got = read(block.data(), block.size())) parser.feed(block.data(), got);
  parser.finish();
  CsvColumns table = builder.finish();
  table.delimiter = delimiter;
  return table;
}

}  // namespace

std::string cell_problem(const std::string& cell, size_t column, const std::string& name, bool numeric,
                         int64_t first_line, double& value) {
  const std::string where = "column " + std::to_string(column + 1) + " (" + printable(name) + ")";
  if (cell.empty()) return where + ": empty cell (fill in the missing value or drop the row)";
  if (!numeric) return "";
  if (!read_number(cell, value)) {
    return where + ": " + quoted_cell(cell) + " is not a number, and the column's first value (line " +
           std::to_string(first_line) + ") is";
  }
  if (std::abs(value) > std::numeric_limits<float>::max()) {
    return where + ": " + quoted_cell(cell) + " is beyond the range of a float (±3.4e38)";
  }
  return "";
}

std::string ragged_row(size_t fields, size_t header) {
  return std::to_string(fields) + " fields, the header has " + std::to_string(header) +
         (fields < header ? " (a ragged row)" : " (a ragged row, or an unquoted delimiter)");
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
