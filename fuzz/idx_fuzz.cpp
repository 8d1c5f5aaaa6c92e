// The IDX reader on any bytes (raw or gzip, as read_idx tells them apart): errors
// must be exceptions naming the file; a header that promises more than the fuzzer's
// memory allows is refused by the header check before its data is read, as the
// MNIST loader's checks do.

#include <exception>
#include <stdexcept>

#include "fuzz_file.h"
#include "nnlab/data/idx.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const nnlab::fuzz::FuzzFile file(data, size);
  try {
    const nnlab::IdxArray array = nnlab::read_idx(file.path(), [](const nnlab::IdxHeader& header) {
      if (header.count() > (int64_t{1} << 22)) throw std::runtime_error("larger than the fuzzer reads");
    });
    NNLAB_FUZZ_REQUIRE(static_cast<int64_t>(array.values.size()) == array.count());
    const nnlab::IdxHeader header = nnlab::read_idx_header(file.path());
    NNLAB_FUZZ_REQUIRE(header.dims == array.dims && header.type_code == array.type_code);
  } catch (const std::exception&) {
  }
  return 0;
}
