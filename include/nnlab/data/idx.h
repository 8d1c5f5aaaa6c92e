#pragma once
// The IDX format of MNIST and its family (http://yann.lecun.com/exdb/mnist/):
//   magic: two zero bytes, a type code, the number of dimensions;
//   then each dimension as a big-endian 32-bit integer; then the data, big-endian.
// Type codes: 0x08 unsigned byte, 0x09 signed byte, 0x0B short, 0x0C int,
// 0x0D float, 0x0E double. Files may be gzip-compressed or raw (read alike).

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace nnlab {

// What an IDX file's header says: the dimensions and the element type.
struct IdxHeader {
  std::vector<int64_t> dims;
  uint8_t type_code = 0x08;
  int64_t count() const;  // product of dims; 0 when there are none
};

struct IdxArray {
  std::vector<int64_t> dims;  // e.g. {10000, 28, 28}
  uint8_t type_code = 0x08;
  std::vector<double> values;  // every element, converted to double, row-major
  int64_t count() const;       // product of dims; 0 when there are none
};

// Called with the header once it is read and checked, before any data is read:
// a caller refuses a file that is valid IDX but not what it needs (images of
// floats, labels of the wrong count) by throwing from it, and pays nothing for
// the data a hostile or mistaken header promises.
using IdxHeaderCheck = std::function<void(const IdxHeader&)>;

// Reads an IDX file. Throws std::runtime_error naming the file and the problem:
// missing file or one that is not a regular file, bad magic number, unknown type
// code, no or more than 8 dimensions, a dimension of zero, an array of more than
// 2^28 elements, fewer data bytes than the header promises (truncated), more
// (trailing bytes), or a damaged gzip stream. The data is decoded as it streams
// in and never read past what the header promises (plus one byte, to find
// trailing data), so a gzip bomb costs what its header admits to, no more; memory
// grows only with data that is really there.
IdxArray read_idx(const std::string& path, const IdxHeaderCheck& check = {});

// The same reading and checks, the values handed to `take` chunk by chunk as they are decoded (in
// order, at most 2^18 at a time) instead of gathered: a caller that keeps them in another form
// (MNIST's pixels as float) never holds all of them as double. Returns the header.
using IdxChunk = std::function<void(std::span<const double> values)>;
IdxHeader read_idx_chunks(const std::string& path, const IdxHeaderCheck& check, const IdxChunk& take);

// Only the header, checked as read_idx checks it; the data is not read.
IdxHeader read_idx_header(const std::string& path);

// Writes an unsigned-byte IDX file (raw, or gzip when the path ends in .gz), atomically.
void write_idx_u8(const std::string& path, const std::vector<int64_t>& dims, const std::vector<uint8_t>& values);

}  // namespace nnlab
