// The CSV reader and the table encoding on any text: errors must be exceptions with one line
// naming the input; what reads must be consistent (one value or code per row in every column)
// and encode into finite features.

#include <cmath>
#include <exception>
#include <string>

#include "fuzz_file.h"
#include "nnlab/data/table_dataset.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  nnlab::CsvLimits limits;
  limits.max_columns = 1000;
  limits.max_field_bytes = 4096;
  try {
    const nnlab::CsvColumns table = nnlab::parse_csv_columns(text, "fuzz.csv", limits);
    NNLAB_FUZZ_REQUIRE(table.rows > 0 && static_cast<int64_t>(table.lines.size()) == table.rows);
    for (const auto& column : table.columns) {
      const size_t n = column.numeric ? column.values.size() : column.codes.size();
      NNLAB_FUZZ_REQUIRE(static_cast<int64_t>(n) == table.rows);
      for (int32_t code : column.codes)
        NNLAB_FUZZ_REQUIRE(code >= 0 && static_cast<size_t>(code) < column.categories.size());
    }
    const nnlab::TableData encoded = nnlab::table_data(table, {.test_split = 0.25});
    for (const float v : encoded.split.train.x) NNLAB_FUZZ_REQUIRE(!std::isnan(v));
    NNLAB_FUZZ_REQUIRE(encoded.split.train.size() + encoded.split.test.size() == table.rows);
  } catch (const std::exception& e) {
    NNLAB_FUZZ_REQUIRE(std::string(e.what()).find('\n') == std::string::npos);
  }
  return 0;
}
