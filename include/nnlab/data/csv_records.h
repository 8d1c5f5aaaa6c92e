#pragma once
// CSV records from bytes, on libcsv (quoted fields, embedded delimiters and newlines, CRLF):
// each record's fields and the line of the file it starts on, blank lines skipped.
//
//   CsvRecordParser parser("houses.csv", ',', {}, /*first_line=*/1,
//                          [&](std::vector<std::string>& fields, int64_t line) { ... });
//   while (...) parser.feed(block, size);   // any cut: a record may span two blocks
//   parser.finish();                        // the end of the input closes the last record
//
// The callback may throw: the exception comes out of feed() or finish() once libcsv has
// returned (it must not cross libcsv's C code), and the parser ignores the rest. Bad CSV
// (an unclosed quote, a quote inside an unquoted field, a field or row over the limits)
// throws std::runtime_error "NAME:LINE: what".
//
// Both readers of tables use it: read_csv_columns (csv_reader.h) keeps a whole table in
// memory; TableStream (table_stream.h) reads a file larger than memory block by block.

#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct csv_parser;

namespace nnlab {

struct CsvLimits {
  int64_t max_columns = 100000;
  int64_t max_field_bytes = 1 << 20;  // a cell longer than this is refused
};

// The delimiter the first line uses most often outside quotes, of , ; tab | (',' when none
// appears).
char detect_delimiter(std::string_view first_line);

// A cell or column name as messages show it: on one line (newlines, tabs and other control
// characters escaped as \n, \t, \xHH) and cut after 40 characters.
std::string printable(const std::string& text);

class CsvRecordParser {
 public:
  using OnRecord = std::function<void(std::vector<std::string>& fields, int64_t line)>;

  CsvRecordParser(std::string name, char delimiter, const CsvLimits& limits, int64_t first_line, OnRecord on_record);
  ~CsvRecordParser();
  CsvRecordParser(const CsvRecordParser&) = delete;
  CsvRecordParser& operator=(const CsvRecordParser&) = delete;

  void feed(const char* data, size_t size);
  void finish();
  // The line the input has reached (first_line plus the line ends seen).
  int64_t line() const { return line_; }

  // libcsv's callbacks (C linkage needs free functions that reach these).
  void on_field(const char* data, size_t size);
  void on_end(int terminator);

 private:
  void fail(const std::string& what);
  void rethrow();

  std::string name_;
  CsvLimits limits_;
  OnRecord on_record_;
  std::unique_ptr<csv_parser> parser_;
  std::vector<std::string> fields_;
  std::exception_ptr error_;
  int64_t line_ = 1;
  int64_t embedded_newlines_ = 0;
  int last_terminator_ = 0;
};

}  // namespace nnlab
