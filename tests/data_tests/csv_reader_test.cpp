// Reading CSV tables: the forms real files come in (quotes, delimiters, CRLF, no header) and
// each kind of bad file, refused with one line naming the file, the line and the column.

#include "nnlab/data/csv_reader.h"

#include <gtest/gtest.h>

#include <fstream>
#include <stdexcept>

#include "temp_dir.h"

namespace nnlab::test {
namespace {

// The message of the error reading `text` gives, or "" when it reads.
std::string error_of(const std::string& text) {
  try {
    parse_csv_columns(text, "t.csv");
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

TEST(CsvReader, ReadsNumbersAndTextByColumn) {
  const CsvColumns t = parse_csv_columns("a,b,name\n1,2.5,x\n-3,1e3,y\n4,0,x\n", "t.csv");
  EXPECT_TRUE(t.has_header);
  EXPECT_EQ(t.delimiter, ',');
  ASSERT_EQ(t.columns.size(), 3u);
  EXPECT_EQ(t.rows, 3);
  EXPECT_TRUE(t.column("a").numeric);
  EXPECT_EQ(t.column("b").values, (std::vector<float>{2.5f, 1000.0f, 0.0f}));
  const CsvColumn& name = t.column("name");
  EXPECT_FALSE(name.numeric);
  EXPECT_EQ(name.categories, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(name.codes, (std::vector<int32_t>{0, 1, 0}));
  EXPECT_EQ(t.lines, (std::vector<int64_t>{2, 3, 4}));
  // By 0-based index, and from the end.
  EXPECT_EQ(&t.column("1"), &t.column("b"));
  EXPECT_EQ(&t.column("-1"), &t.column("name"));
  EXPECT_THROW(t.column("price"), std::runtime_error);
}

TEST(CsvReader, QuotedFieldsDelimitersAndLineEnds) {
  // Semicolons, a quoted field holding the delimiter, a doubled quote and a newline, CRLF ends.
  const CsvColumns t =
      parse_csv_columns("\"x\";label\r\n1;\"a;b\"\r\n2;\"say \"\"hi\"\"\"\r\n3;\"two\nlines\"\r\n\r\n4;a\r\n", "t.csv");
  EXPECT_EQ(t.delimiter, ';');
  ASSERT_EQ(t.rows, 4);
  EXPECT_EQ(t.column("label").categories, (std::vector<std::string>{"a;b", "say \"hi\"", "two\nlines", "a"}));
  // The blank line is skipped; the row after the one with a newline inside starts 2 lines later.
  EXPECT_EQ(t.lines, (std::vector<int64_t>{2, 3, 4, 7}));
  const CsvColumns tabs = parse_csv_columns("a\tb\n1\t2\n", "t.tsv");
  EXPECT_EQ(tabs.delimiter, '\t');
  EXPECT_EQ(tabs.column("b").values, (std::vector<float>{2}));
}

TEST(CsvReader, AHeaderOfNumbersIsData) {
  const CsvColumns t = parse_csv_columns("1,2,0\n3,4,1\n", "t.csv");
  EXPECT_FALSE(t.has_header);
  EXPECT_EQ(t.rows, 2);
  EXPECT_EQ(t.columns[2].name, "2");
  EXPECT_EQ(t.columns[0].values, (std::vector<float>{1, 3}));
  EXPECT_EQ(t.lines, (std::vector<int64_t>{1, 2}));
}

TEST(CsvReader, BadFilesNameTheFileLineAndColumn) {
  EXPECT_EQ(error_of(""), "t.csv: empty file: no header and no rows");
  EXPECT_EQ(error_of("a,b\n"), "t.csv: a header and no rows of data");
  EXPECT_EQ(error_of("a,b\n1,2\n3\n"), "t.csv:3: 1 fields, the header has 2 (a ragged row)");
  EXPECT_EQ(error_of("a,b\n1,2\n3,4,5\n"),
            "t.csv:3: 3 fields, the header has 2 (a ragged row, or an unquoted delimiter)");
  EXPECT_EQ(error_of("a,b\n1,2\n3,x7\n"),
            "t.csv:3: column 2 (b): 'x7' is not a number, and the column's first value (line 2) is");
  EXPECT_EQ(error_of("a,b\n1,2\n,4\n"),
            "t.csv:3: column 1 (a): empty cell (fill in the missing value or drop the row)");
  EXPECT_EQ(error_of("a,b\n1,2\n1e39,4\n"), "t.csv:3: column 1 (a): '1e39' is beyond the range of a float (±3.4e38)");
  EXPECT_NE(error_of("a,b\n1,2\nnan,4\n").find("'nan' is not a number"), std::string::npos);
  // A name or cell with a newline is shown on the message's one line.
  EXPECT_EQ(error_of("\"a\nb\",c\n1,2\nx,3\n"),
            "t.csv:4: column 1 (a\\nb): 'x' is not a number, and the column's first value (line 3) is");
  EXPECT_EQ(error_of("a,a\n1,2\n"), "t.csv:1: column 2: the name 'a' is taken by an earlier column");
  const std::string unclosed = error_of("a,b\n1,\"2\n");
  EXPECT_EQ(unclosed.rfind("t.csv:", 0), 0u) << unclosed;
  EXPECT_NE(unclosed.find("not closed"), std::string::npos) << unclosed;
  const std::string stray = error_of("a,b\n1,\"2\"x\n");
  EXPECT_NE(stray.find("bad CSV"), std::string::npos) << stray;
  for (const std::string& message : {unclosed, stray}) EXPECT_EQ(message.find('\n'), std::string::npos);
}

TEST(CsvReader, LimitsRefuseHostileSizes) {
  CsvLimits limits;
  limits.max_columns = 3;
  limits.max_field_bytes = 8;
  EXPECT_THROW(parse_csv_columns("a,b,c,d\n1,2,3,4\n", "t.csv", limits), std::runtime_error);
  EXPECT_THROW(parse_csv_columns("a,b\n1,123456789012\n", "t.csv", limits), std::runtime_error);
  EXPECT_NO_THROW(parse_csv_columns("a,b\n1,12345678\n", "t.csv", limits));
}

TEST(CsvReader, ReadsAFileInBlocks) {
  // More than one 1 MiB block, so that rows cross block boundaries.
  TempDir dir;
  const std::string path = dir.file("big.csv");
  {
    std::ofstream out(path);
    out << "x,y,label\n";
    for (int i = 0; i < 100000; ++i) out << i << "," << i * 0.5 << "," << (i % 3 == 0 ? "\"a,b\"" : "c") << "\n";
  }
  const CsvColumns t = read_csv_columns(path);
  ASSERT_EQ(t.rows, 100000);
  EXPECT_EQ(t.column("x").values[77777], 77777.0f);
  EXPECT_EQ(t.column("y").values[99999], 49999.5f);
  EXPECT_EQ(t.column("label").categories, (std::vector<std::string>{"a,b", "c"}));
  EXPECT_EQ(t.lines.back(), 100001);
  EXPECT_THROW(read_csv_columns(dir.file("missing.csv")), std::runtime_error);
}

}  // namespace
}  // namespace nnlab::test
