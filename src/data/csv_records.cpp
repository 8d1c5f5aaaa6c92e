#include "nnlab/data/csv_records.h"

#include <csv.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <stdexcept>

namespace nnlab {

namespace {

void field_callback(void* data, size_t size, void* parser) {
  static const char nothing = 0;
  static_cast<CsvRecordParser*>(parser)->on_field(data != nullptr ? static_cast<const char*>(data) : &nothing, size);
}
void end_callback(int terminator, void* parser) { static_cast<CsvRecordParser*>(parser)->on_end(terminator); }

}  // namespace

char detect_delimiter(std::string_view first_line) {
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

CsvRecordParser::CsvRecordParser(std::string name, char delimiter, const CsvLimits& limits, int64_t first_line,
                                 OnRecord on_record)
    : name_(std::move(name)),
      limits_(limits),
      on_record_(std::move(on_record)),
      parser_(std::make_unique<csv_parser>()),
      line_(first_line) {
  // CSV_REPALL_NL reports every line end outside a record as an empty record, so that blank
  // lines count in the line numbers.
  if (csv_init(parser_.get(), CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL) != 0) {
    throw std::runtime_error(name_ + ": cannot start the CSV parser");
  }
  csv_set_delim(parser_.get(), static_cast<unsigned char>(delimiter));
}

CsvRecordParser::~CsvRecordParser() { csv_free(parser_.get()); }

void CsvRecordParser::fail(const std::string& what) {
  if (!error_) error_ = std::make_exception_ptr(std::runtime_error(name_ + ":" + std::to_string(line_) + ": " + what));
}

void CsvRecordParser::rethrow() {
  if (error_) std::rethrow_exception(error_);
}

void CsvRecordParser::on_field(const char* data, size_t size) {
  if (error_) return;
  if (static_cast<int64_t>(size) > limits_.max_field_bytes) {
    return fail("a field of " + std::to_string(size) + " bytes (at most " + std::to_string(limits_.max_field_bytes) +
                ")");
  }
  if (static_cast<int64_t>(fields_.size()) >= limits_.max_columns) {
    return fail("more than " + std::to_string(limits_.max_columns) + " fields in a row");
  }
  fields_.emplace_back(data, size);
  embedded_newlines_ += std::count(data, data + size, '\n');
}

// The end of a record, `terminator` the character that ended it ('\r', '\n', or -1 at the end).
// The '\n' of a CRLF pair comes as an empty record of its own and does not count as a line.
void CsvRecordParser::on_end(int terminator) {
  if (error_) return;
  const bool crlf_tail = fields_.empty() && terminator == '\n' && last_terminator_ == '\r';
  last_terminator_ = terminator;
  const int64_t line = line_;
  if (!crlf_tail && terminator != -1) line_ += 1;
  line_ += embedded_newlines_;
  embedded_newlines_ = 0;
  if (fields_.empty()) return;  // a blank line
  try {
    on_record_(fields_, line);
  } catch (...) {
    error_ = std::current_exception();
  }
  fields_.clear();
}

void CsvRecordParser::feed(const char* data, size_t size) {
  rethrow();
  const bool parsed = csv_parse(parser_.get(), data, size, field_callback, end_callback, this) == size;
  rethrow();
  if (!parsed) {
    fail(std::string("bad CSV: ") + csv_strerror(csv_error(parser_.get())) +
         " (a quote inside a field must be doubled, and a quoted field closed)");
    rethrow();
  }
}

void CsvRecordParser::finish() {
  rethrow();
  const bool closed = csv_fini(parser_.get(), field_callback, end_callback, this) == 0;
  rethrow();
  if (!closed) {
    fail(std::string("bad CSV at the end of the file: ") + csv_strerror(csv_error(parser_.get())) +
         " (a quoted field is not closed)");
    rethrow();
  }
}

}  // namespace nnlab
