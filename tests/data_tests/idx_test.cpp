#include "nnlab/data/idx.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include "temp_dir.h"

namespace nnlab::test {
namespace {

// The header of an IDX file: two zero bytes, the type code, the dimension
// count, then each dimension as a big-endian 32-bit integer.
std::string idx_header(uint8_t type_code, const std::vector<uint32_t>& dims) {
  std::string bytes = {'\0', '\0', static_cast<char>(type_code), static_cast<char>(dims.size())};
  for (uint32_t d : dims) {
    for (int shift = 24; shift >= 0; shift -= 8) bytes += static_cast<char>((d >> shift) & 0xFF);
  }
  return bytes;
}

// read_idx(path) fails with one line that names the path and contains `words`.
void expect_read_error(const std::string& path, const std::string& words) {
  try {
    read_idx(path);
    ADD_FAILURE() << "no error reading " << path;
  } catch (const std::runtime_error& error) {
    const std::string message = error.what();
    const size_t at = message.find(path);
    EXPECT_NE(at, std::string::npos) << message;
    EXPECT_EQ(message.find(path, at + 1), std::string::npos) << "path named twice: " << message;
    EXPECT_NE(message.find(words), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

// A gzip file of `head` followed by `zeros` zero bytes, compressed as it is written
// (50 MB of zeros become about 50 KB), so that a test can make a gzip bomb cheaply.
void write_gzip(const std::string& path, const std::string& head, size_t zeros) {
  gzFile file = gzopen(path.c_str(), "wb9");
  ASSERT_NE(file, nullptr);
  ASSERT_EQ(gzwrite(file, head.data(), static_cast<unsigned>(head.size())), static_cast<int>(head.size()));
  const std::string block(1 << 20, '\0');
  for (size_t left = zeros; left > 0;) {
    const auto n = static_cast<unsigned>(std::min(left, block.size()));
    ASSERT_EQ(gzwrite(file, block.data(), n), static_cast<int>(n));
    left -= n;
  }
  ASSERT_EQ(gzclose(file), Z_OK);
}

std::vector<uint8_t> pattern(size_t count) {
  std::vector<uint8_t> values(count);
  for (size_t i = 0; i < count; ++i) values[i] = static_cast<uint8_t>((i * 37 + i / 251) % 256);
  return values;
}

TEST(Idx, RoundTripRaw) {
  TempDir folder;
  const std::string path = folder.file("array-idx3-ubyte");
  const std::vector<uint8_t> values = pattern(24);
  write_idx_u8(path, {3, 2, 4}, values);
  // 4 magic bytes + 3 dimensions × 4 bytes + 24 data bytes.
  EXPECT_EQ(read_bytes(path).size(), 4u + 12u + 24u);
  const IdxArray array = read_idx(path);
  EXPECT_EQ(array.type_code, 0x08);
  EXPECT_EQ(array.dims, (std::vector<int64_t>{3, 2, 4}));
  EXPECT_EQ(array.count(), 24);
  ASSERT_EQ(array.values.size(), 24u);
  for (size_t i = 0; i < values.size(); ++i) EXPECT_EQ(array.values[i], values[i]) << i;
}

TEST(Idx, RoundTripGzip) {
  TempDir folder;
  const std::string path = folder.file("array-idx2-ubyte.gz");
  // Larger than deflate's 64 KiB output buffer, so the compression loop runs more than once.
  const std::vector<uint8_t> values = pattern(500 * 400);
  write_idx_u8(path, {500, 400}, values);
  const std::string bytes = read_bytes(path);
  ASSERT_GE(bytes.size(), 2u);
  EXPECT_EQ(static_cast<uint8_t>(bytes[0]), 0x1F);  // the gzip magic number
  EXPECT_EQ(static_cast<uint8_t>(bytes[1]), 0x8B);
  const IdxArray array = read_idx(path);
  EXPECT_EQ(array.dims, (std::vector<int64_t>{500, 400}));
  ASSERT_EQ(array.values.size(), values.size());
  for (size_t i = 0; i < values.size(); ++i) ASSERT_EQ(array.values[i], values[i]) << i;
}

TEST(Idx, CountIsTheProductOfDims) {
  IdxArray array;
  EXPECT_EQ(array.count(), 0);
  array.dims = {10000, 28, 28};
  EXPECT_EQ(array.count(), 7840000);
}

TEST(Idx, DecodesEveryTypeBigEndian) {
  TempDir folder;
  struct Case {
    uint8_t type_code;
    std::string data;
    std::vector<double> expected;
  };
  const std::vector<Case> cases = {
      {0x08, std::string("\x00\x7F\xFF", 3), {0, 127, 255}},
      {0x09, "\xFF\x80\x7F", {-1, -128, 127}},
      {0x0B, std::string("\x01\x02\xFF\xFE\x80\x00", 6), {258, -2, -32768}},
      {0x0C, std::string("\x00\x01\x00\x00\xFF\xFF\xFF\xFF\x7F\xFF\xFF\xFF", 12), {65536, -1, 2147483647}},
      // 1.5f = 0x3FC00000, -2.0f = 0xC0000000, 0.1f = 0x3DCCCCCD.
      {0x0D, std::string("\x3F\xC0\x00\x00\xC0\x00\x00\x00\x3D\xCC\xCC\xCD", 12), {1.5, -2.0, double(0.1f)}},
      // 0.1 = 0x3FB999999999999A, -1e300 = 0xFE37E43C8800759C (bit patterns from Python struct.pack), 1.0 =
      // 0x3FF0000000000000.
      {0x0E,
       std::string("\x3F\xB9\x99\x99\x99\x99\x99\x9A\xFE\x37\xE4\x3C\x88\x00\x75\x9C\x3F\xF0\x00\x00\x00\x00\x00\x00",
                   24),
       {0.1, -1e300, 1.0}},
  };
  for (const Case& c : cases) {
    const std::string path = folder.file("type-" + std::to_string(c.type_code));
    write_bytes(path, idx_header(c.type_code, {3}) + c.data);
    const IdxArray array = read_idx(path);
    EXPECT_EQ(array.type_code, c.type_code);
    ASSERT_EQ(array.values.size(), 3u);
    for (size_t i = 0; i < 3; ++i) EXPECT_EQ(array.values[i], c.expected[i]) << "type " << int(c.type_code) << " " << i;
  }
}

TEST(Idx, MissingFile) {
  TempDir folder;
  expect_read_error(folder.file("absent-idx1-ubyte"), "no such file");
}

TEST(Idx, FolderIsNotAFile) {
  TempDir folder;
  expect_read_error(folder.str(), "is a folder");
}

TEST(Idx, WrongMagic) {
  TempDir folder;
  const std::string path = folder.file("wrong-magic");
  write_bytes(path, std::string("\x01\x00\x08\x01\x00\x00\x00\x01", 8) + "x");
  expect_read_error(path, "bad magic number 0x01000801");
}

TEST(Idx, UnknownTypeCode) {
  TempDir folder;
  const std::string path = folder.file("unknown-type");
  write_bytes(path, idx_header(0x0A, {1}) + "x");
  expect_read_error(path, "unknown type code 10");
}

TEST(Idx, DimensionCountOutOfRange) {
  TempDir folder;
  const std::string none = folder.file("no-dims");
  write_bytes(none, idx_header(0x08, {}));
  expect_read_error(none, "unsupported number of dimensions 0");
  const std::string nine = folder.file("nine-dims");
  write_bytes(nine, idx_header(0x08, {1, 1, 1, 1, 1, 1, 1, 1, 1}) + "x");
  expect_read_error(nine, "unsupported number of dimensions 9");
}

TEST(Idx, ZeroDimension) {
  TempDir folder;
  const std::string path = folder.file("zero-dim");
  write_bytes(path, idx_header(0x08, {3, 0, 4}));
  expect_read_error(path, "dimension 1 is zero");
}

TEST(Idx, TruncatedHeader) {
  TempDir folder;
  const std::string path = folder.file("short-header");
  write_bytes(path, idx_header(0x08, {3, 2}).substr(0, 9));
  expect_read_error(path, "truncated: expected 8 bytes of dimensions, found 5");
}

TEST(Idx, TruncatedRawFile) {
  TempDir folder;
  const std::string whole = folder.file("whole-idx2-ubyte");
  write_idx_u8(whole, {4, 6}, pattern(24));
  const std::string path = folder.file("truncated-idx2-ubyte");
  write_bytes(path, read_bytes(whole).substr(0, 4 + 8 + 20));
  expect_read_error(path, "truncated: expected 24 data bytes, found 20");
}

TEST(Idx, HeaderPromisingFarMoreThanPresent) {
  TempDir folder;
  // 10000 × 10000 passes the size limit; the reader must find out that the
  // data is missing without first allocating 100 MB for it.
  const std::string path = folder.file("promises-much");
  write_bytes(path, idx_header(0x08, {10000, 10000}) + "abc");
  expect_read_error(path, "truncated: expected 100000000 data bytes, found 3");
}

TEST(Idx, ArrayTooLarge) {
  TempDir folder;
  const std::string path = folder.file("huge");
  write_bytes(path, idx_header(0x0E, {65536, 65536, 65536}));
  expect_read_error(path, "array too large");
}

TEST(Idx, TrailingBytes) {
  TempDir folder;
  const std::string path = folder.file("trailing");
  write_bytes(path, idx_header(0x08, {2}) + "ab" + "c");
  expect_read_error(path, "trailing bytes after the 2 data bytes");
}

TEST(Idx, NotARegularFile) {
  // /dev/zero would be read without end: refused before it is opened.
  expect_read_error("/dev/zero", "is not a regular file");
}

// A gzip bomb: a header that promises 10 bytes, then 50 MB of zeros (a 50 KB file).
// The reader stops one byte past what the header promises. The gzip trailer is cut
// off, so a reader that inflated the whole stream would report a truncated gzip
// stream instead of the trailing bytes.
TEST(Idx, GzipBombBehindASmallHeaderIsRefusedWithoutInflatingIt) {
  TempDir folder;
  const std::string whole = folder.file("bomb-whole.gz");
  write_gzip(whole, idx_header(0x08, {10}), 50u << 20);
  const std::string bytes = read_bytes(whole);
  EXPECT_LT(bytes.size(), 200'000u);
  const std::string path = folder.file("bomb-idx1-ubyte.gz");
  write_bytes(path, bytes.substr(0, bytes.size() - 8));
  const auto start = std::chrono::steady_clock::now();
  expect_read_error(path, "trailing bytes after the 10 data bytes");
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 5.0);
  // The same bomb whole is refused alike.
  expect_read_error(whole, "trailing bytes after the 10 data bytes");
}

// The caller's check sees the header before any data is read: a header that a
// caller refuses is refused even when the data behind it is damaged, which it
// would have found first had it read the data.
TEST(Idx, HeaderCheckRunsBeforeTheDataIsRead) {
  TempDir folder;
  const std::string whole = folder.file("floats.gz");
  write_gzip(whole, idx_header(0x0D, {1000, 28, 28}), 1000 * 28 * 28 * 4);
  const std::string bytes = read_bytes(whole);
  const std::string path = folder.file("floats-idx3-ubyte.gz");
  write_bytes(path, bytes.substr(0, bytes.size() / 2));
  std::vector<int64_t> seen;
  try {
    read_idx(path, [&](const IdxHeader& header) {
      seen = header.dims;
      EXPECT_EQ(header.type_code, 0x0D);
      EXPECT_EQ(header.count(), 784000);
      throw std::runtime_error("not bytes");
    });
    ADD_FAILURE() << "the check's error did not come through";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "not bytes");
  }
  EXPECT_EQ(seen, (std::vector<int64_t>{1000, 28, 28}));
  // Without a check the damage is found.
  expect_read_error(path, "truncated gzip stream");
  const IdxHeader header = read_idx_header(path);
  EXPECT_EQ(header.dims, (std::vector<int64_t>{1000, 28, 28}));
  EXPECT_EQ(header.type_code, 0x0D);
}

// A header whose product overflows 64 bits in any order of its factors.
TEST(Idx, DimensionProductsNeverOverflow) {
  TempDir folder;
  const std::string path = folder.file("overflow");
  write_bytes(path, idx_header(0x08, {0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 2, 2, 2, 2}));
  expect_read_error(path, "array too large: more than 268435456 elements");
  write_bytes(path, idx_header(0x08, {2, 2, 2, 2, 2, 2, 2, 0xFFFFFFFF}));
  expect_read_error(path, "array too large");
  // Exactly at the limit the header is accepted (and the data found missing).
  write_bytes(path, idx_header(0x08, {16384, 16384}));
  expect_read_error(path, "truncated: expected 268435456 data bytes, found 0");
}

TEST(Idx, TruncatedGzip) {
  TempDir folder;
  const std::string whole = folder.file("whole-idx2-ubyte.gz");
  write_idx_u8(whole, {100, 100}, pattern(10000));
  const std::string bytes = read_bytes(whole);
  const std::string path = folder.file("truncated-idx2-ubyte.gz");
  write_bytes(path, bytes.substr(0, bytes.size() / 2));
  expect_read_error(path, "truncated gzip stream");
  // Only the 8-byte trailer (CRC-32 and length) missing: every data byte is there.
  const std::string no_trailer = folder.file("no-trailer-idx2-ubyte.gz");
  write_bytes(no_trailer, bytes.substr(0, bytes.size() - 8));
  expect_read_error(no_trailer, "truncated gzip stream");
}

TEST(Idx, CorruptGzip) {
  TempDir folder;
  const std::string whole = folder.file("whole-idx2-ubyte.gz");
  write_idx_u8(whole, {100, 100}, pattern(10000));
  std::string bytes = read_bytes(whole);
  // A wrong CRC-32 in the trailer: the data inflates but fails its check.
  bytes[bytes.size() - 8] = static_cast<char>(bytes[bytes.size() - 8] ^ 0xFF);
  const std::string path = folder.file("bad-crc-idx2-ubyte.gz");
  write_bytes(path, bytes);
  expect_read_error(path, "corrupt gzip stream");
}

TEST(Idx, WriteRejectsInconsistentArguments) {
  TempDir folder;
  EXPECT_THROW(write_idx_u8(folder.file("a"), {2, 3}, pattern(5)), std::invalid_argument);
  EXPECT_THROW(write_idx_u8(folder.file("b"), {2, 0}, {}), std::invalid_argument);
  EXPECT_THROW(write_idx_u8(folder.file("c"), {}, {}), std::invalid_argument);
  EXPECT_FALSE(std::filesystem::exists(folder.file("a")));
}

}  // namespace
}  // namespace nnlab::test
