// The streamed table against the table in memory on any text (differential): read in blocks
// of a few bytes, cut at row ends, it must refuse what the in-memory reader refuses with the
// same message, and what reads must give the same schema and, unshuffled, the same rows.

#include <cmath>
#include <exception>
#include <string>

#include "fuzz_file.h"
#include "nnlab/data/table_stream.h"

namespace {

std::string error_of(const std::function<void()>& read) {
  try {
    read();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const nnlab::fuzz::FuzzFile file(data, size);
  nnlab::CsvLimits limits;
  limits.max_columns = 1000;
  limits.max_field_bytes = 4096;
  // Blocks of 1 to 64 bytes (from the first byte): every cut a row end can have.
  const int64_t block = size > 0 ? 1 + data[0] % 64 : 1;
  const nnlab::TableOptions options{.test_split = 0};
  const nnlab::TableStreamOptions stream_options{.block_bytes = block, .window_bytes = 256, .limits = limits};

  nnlab::TableData memory;
  const std::string memory_error =
      error_of([&] { memory = nnlab::table_data(nnlab::read_csv_columns(file.path(), limits), options); });
  std::shared_ptr<nnlab::TableStream> stream;
  const std::string stream_error =
      error_of([&] { stream = nnlab::TableStream::open(file.path(), options, stream_options); });
  NNLAB_FUZZ_REQUIRE(stream_error.find('\n') == std::string::npos);
  if (!memory_error.empty()) {
    // The stream checks the header's columns before the rows, and caps a text column's values.
    NNLAB_FUZZ_REQUIRE(!stream_error.empty());
    NNLAB_FUZZ_REQUIRE(stream_error == memory_error || stream_error.find("one column only") != std::string::npos ||
                       stream_error.find("distinct values") != std::string::npos);
    return 0;
  }
  if (!stream_error.empty()) {
    NNLAB_FUZZ_REQUIRE(stream_error.find("distinct values") != std::string::npos ||
                       stream_error.find("classes") != std::string::npos);
    return 0;
  }
  const nnlab::TableSchema& s = stream->schema();
  NNLAB_FUZZ_REQUIRE(s.classes == memory.schema.classes && s.classification == memory.schema.classification);
  NNLAB_FUZZ_REQUIRE(s.features.size() == memory.schema.features.size() && s.width() == memory.schema.width());
  for (size_t f = 0; f < s.features.size(); ++f) {
    NNLAB_FUZZ_REQUIRE(s.features[f].categories == memory.schema.features[f].categories);
  }
  nnlab::Rng rng(0);
  const auto loader = stream->train()->loader(7, rng, /*shuffle=*/false);
  const nnlab::Dataset& d = memory.split.train;
  NNLAB_FUZZ_REQUIRE(loader->samples() == d.size());
  nnlab::Tensor<float> x, y;
  int64_t row = 0;
  while (loader->next(x, y)) {
    for (int64_t r = 0; r < x.rows(); ++r, ++row) {
      NNLAB_FUZZ_REQUIRE(y[r] == d.y[row] || std::abs(y[r] - d.y[row]) <= 1e-4f * (1 + std::abs(d.y[row])));
      for (int64_t c = 0; c < x.row_size(); ++c) {
        const float a = x.row(r)[c], b = d.x.row(row)[c];
        NNLAB_FUZZ_REQUIRE(a == b || std::abs(a - b) <= 1e-3f * (1 + std::abs(b)));
      }
    }
  }
  NNLAB_FUZZ_REQUIRE(row == d.size());
  return 0;
}
