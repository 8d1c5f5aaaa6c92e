#include "nnlab/io/csv.h"

#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "nnlab/io/atomic_file.h"

namespace nnlab {

namespace {
std::string quote(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string cell_text(const CsvTable::Cell& cell) {
  if (const auto* text = std::get_if<std::string>(&cell)) return quote(*text);
  if (const auto* integer = std::get_if<long long>(&cell)) return std::to_string(*integer);
  const double value = std::get<double>(cell);
  if (!std::isfinite(value)) return "";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.9g", value);
  return buffer;
}
}  // namespace

CsvTable::CsvTable(std::vector<std::string> header) : header_(std::move(header)) {}

void CsvTable::add_row(const std::vector<Cell>& row) {
  if (row.size() != header_.size()) {
    throw std::invalid_argument("CSV row has " + std::to_string(row.size()) + " cells, the header " +
                                std::to_string(header_.size()));
  }
  std::vector<std::string> texts;
  texts.reserve(row.size());
  for (const Cell& cell : row) texts.push_back(cell_text(cell));
  rows_.push_back(std::move(texts));
}

std::string CsvTable::str() const {
  std::string out;
  auto line = [&](const std::vector<std::string>& cells, bool quote_cells) {
    for (size_t i = 0; i < cells.size(); ++i) out += (i ? "," : "") + (quote_cells ? quote(cells[i]) : cells[i]);
    out += '\n';
  };
  line(header_, true);
  for (const auto& row : rows_) line(row, false);
  return out;
}

void CsvTable::save(const std::string& path) const { write_file_atomic(path, str()); }

}  // namespace nnlab
