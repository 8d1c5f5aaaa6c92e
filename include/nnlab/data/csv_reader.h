#pragma once
// A CSV table read column by column into memory, on libcsv (quoted fields, embedded delimiters
// and newlines, CRLF; csv_records.h), read from the file in blocks:
//
//   CsvColumns table = read_csv_columns("houses.csv");
//   const CsvColumn& price = table.column("price");
//
// The first row is the header, unless every cell of it is a number (the columns are then
// named by their index, "0", "1", ...). The delimiter is the one of , ; tab | that the header
// line holds most often outside quotes. A column is numeric when its first value is a number;
// every later value must then be one too. Other columns are text, kept as codes into their
// list of distinct values (categories, in order of appearance).
//
// Bad input gets one line naming the file, the line and the column and throws
// std::runtime_error: an empty file, a header without rows, a row with more or fewer fields
// than the header, a cell that is not a number in a numeric column, an empty cell, bad quoting.

#include <cstdint>
#include <string>
#include <vector>

#include "nnlab/data/csv_records.h"

namespace nnlab {

struct CsvColumn {
  std::string name;
  bool numeric = true;
  std::vector<float> values;            // numeric: one per row
  std::vector<int32_t> codes;           // text: one per row, an index into categories
  std::vector<std::string> categories;  // text: the distinct values, in order of appearance
};

struct CsvColumns {
  std::string path;
  char delimiter = ',';
  bool has_header = true;
  int64_t rows = 0;
  std::vector<CsvColumn> columns;
  std::vector<int64_t> lines;  // the file's line on which each row starts (1-based)

  // The column of this name, or of this 0-based index given as a number ("3"; "-1" is the
  // last); throws std::runtime_error naming the file and the columns there are.
  const CsvColumn& column(const std::string& name_or_index) const;
  size_t index_of(const std::string& name_or_index) const;
};

CsvColumns read_csv_columns(const std::string& path, const CsvLimits& limits = {});

// The message for a row of `fields` fields under a header of `header`.
std::string ragged_row(size_t fields, size_t header);
// What is wrong with `cell` in column `column` (0-based) named `name`, "" when nothing: an
// empty cell; in a numeric column (whose first value is on `first_line`), a cell that is not a
// number or lies beyond a float's range. Sets `value` to a numeric cell's number. Both readers
// (read_csv_columns and TableStream) check their cells with it.
std::string cell_problem(const std::string& cell, size_t column, const std::string& name, bool numeric,
                         int64_t first_line, double& value);
// The same from text in memory (`name` stands for the file in messages).
CsvColumns parse_csv_columns(const std::string& text, const std::string& name, const CsvLimits& limits = {});

}  // namespace nnlab
