#include "nnlab/data/idx.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "nnlab/io/atomic_file.h"

namespace nnlab {

namespace {

// IDX allows up to 255 dimensions, but no dataset of the family uses more than
// four; a larger count almost certainly means a file that is not IDX at all.
constexpr int kMaxIdxDims = 8;
// The largest array read_idx accepts, in elements (2 GiB once held as doubles).
// Full MNIST has 47 million; a header promising more is corrupt or hostile, and
// is refused before anything is allocated.
constexpr int64_t kMaxIdxElements = int64_t{1} << 28;

[[noreturn]] void fail(const std::string& path, const std::string& problem) {
  throw std::runtime_error("IDX file " + path + ": " + problem);
}

// Bytes per element of each type code; 0 for an unknown code.
int element_size(uint8_t type_code) {
  switch (type_code) {
    case 0x08:  // unsigned byte
    case 0x09:  // signed byte
      return 1;
    case 0x0B:  // short
      return 2;
    case 0x0C:  // int
    case 0x0D:  // float
      return 4;
    case 0x0E:  // double
      return 8;
    default:
      return 0;
  }
}

uint64_t big_endian(const unsigned char* bytes, int size) {
  uint64_t value = 0;
  for (int i = 0; i < size; ++i) value = (value << 8) | bytes[i];
  return value;
}

double decode(const unsigned char* bytes, uint8_t type_code) {
  switch (type_code) {
    case 0x08:
      return bytes[0];
    case 0x09:
      return static_cast<int8_t>(bytes[0]);
    case 0x0B:
      return static_cast<int16_t>(static_cast<uint16_t>(big_endian(bytes, 2)));
    case 0x0C:
      return static_cast<int32_t>(static_cast<uint32_t>(big_endian(bytes, 4)));
    case 0x0D:
      return std::bit_cast<float>(static_cast<uint32_t>(big_endian(bytes, 4)));
    default:  // 0x0E, the only other code that passes element_size
      return std::bit_cast<double>(big_endian(bytes, 8));
  }
}

// A gzip (or, transparently, raw) file open for reading; closes itself.
class GzipReader {
 public:
  explicit GzipReader(const std::string& path) : path_(path) {
    std::error_code error;
    if (std::filesystem::is_directory(path, error)) fail(path, "is a folder, not a file");
    if (!std::filesystem::exists(path, error)) fail(path, "no such file");
    // A device or a pipe could be read forever (/dev/zero) or block (a FIFO).
    if (!std::filesystem::is_regular_file(path, error)) fail(path, "is not a regular file");
    file_ = gzopen(path.c_str(), "rb");
    if (file_ == nullptr) fail(path, std::string("cannot open: ") + std::strerror(errno));
    gzbuffer(file_, 1 << 17);
  }
  ~GzipReader() {
    if (file_ != nullptr) gzclose(file_);
  }
  GzipReader(const GzipReader&) = delete;
  GzipReader& operator=(const GzipReader&) = delete;

  // Reads up to `size` bytes and returns how many were read. A gzip stream that
  // ends early or is damaged is an error: gzread alone would report it as a
  // short read, indistinguishable from a short file.
  size_t read(unsigned char* out, size_t size) {
    size_t total = 0;
    while (total < size) {
      const unsigned chunk = static_cast<unsigned>(std::min<size_t>(size - total, size_t{1} << 30));
      const int got = gzread(file_, out + total, chunk);
      if (got < 0) {
        check_stream();
        fail(path_, "read error");
      }
      total += static_cast<size_t>(got);
      if (static_cast<unsigned>(got) < chunk) {
        check_stream();
        break;
      }
    }
    return total;
  }

 private:
  void check_stream() {
    int code = Z_OK;
    std::string message = gzerror(file_, &code);
    // zlib prefixes its message with the path, which our message names already.
    if (message.starts_with(path_ + ": ")) message.erase(0, path_.size() + 2);
    if (code == Z_BUF_ERROR) fail(path_, "truncated gzip stream: " + message);
    if (code == Z_ERRNO) fail(path_, std::string("read error: ") + std::strerror(errno));
    if (code != Z_OK) fail(path_, "corrupt gzip stream: " + message);
  }

  std::string path_;
  gzFile file_ = nullptr;
};

}  // namespace

int64_t IdxHeader::count() const {
  if (dims.empty()) return 0;
  int64_t n = 1;
  for (int64_t d : dims) n *= d;
  return n;
}

int64_t IdxArray::count() const { return IdxHeader{dims, type_code}.count(); }

namespace {

// The magic number and the dimensions, each field checked, the element count
// checked factor by factor so that it can never overflow.
IdxHeader read_header(GzipReader& in, const std::string& path) {
  std::array<unsigned char, 4> magic{};
  const size_t magic_read = in.read(magic.data(), magic.size());
  if (magic_read < magic.size()) {
    fail(path, "truncated: expected a 4-byte magic number, found " + std::to_string(magic_read) + " bytes");
  }
  if (magic[0] != 0 || magic[1] != 0) {
    char hex[16];
    std::snprintf(hex, sizeof hex, "0x%02X%02X%02X%02X", magic[0], magic[1], magic[2], magic[3]);
    fail(path, std::string("bad magic number ") + hex + " (an IDX file starts with two zero bytes)");
  }
  IdxHeader header;
  header.type_code = magic[2];
  if (element_size(header.type_code) == 0) fail(path, "unknown type code " + std::to_string(header.type_code));
  const int rank = magic[3];
  if (rank < 1 || rank > kMaxIdxDims) {
    fail(path, "unsupported number of dimensions " + std::to_string(rank) + " (expected 1 to " +
                   std::to_string(kMaxIdxDims) + ")");
  }

  std::array<unsigned char, 4 * kMaxIdxDims> dims{};
  const size_t dims_size = static_cast<size_t>(4 * rank);
  const size_t dims_read = in.read(dims.data(), dims_size);
  if (dims_read < dims_size) {
    fail(path, "truncated: expected " + std::to_string(dims_size) + " bytes of dimensions, found " +
                   std::to_string(dims_read));
  }
  int64_t count = 1;
  for (int i = 0; i < rank; ++i) {
    const auto d = static_cast<int64_t>(big_endian(dims.data() + 4 * i, 4));
    if (d == 0) fail(path, "dimension " + std::to_string(i) + " is zero");
    if (d > kMaxIdxElements || count > kMaxIdxElements / d) {
      fail(path, "array too large: more than " + std::to_string(kMaxIdxElements) + " elements");
    }
    count *= d;
    header.dims.push_back(d);
  }
  return header;
}

}  // namespace

IdxHeader read_idx_header(const std::string& path) {
  GzipReader in(path);
  return read_header(in, path);
}

IdxHeader read_idx_chunks(const std::string& path, const IdxHeaderCheck& check, const IdxChunk& take) {
  GzipReader in(path);
  const IdxHeader header = read_header(in, path);
  if (check) check(header);

  // Decoded chunk by chunk as the data streams in: the raw bytes are never held
  // whole, and nothing is allocated for what the header promises beyond a chunk.
  const auto size = static_cast<size_t>(element_size(header.type_code));
  const auto count = static_cast<size_t>(header.count());
  constexpr size_t kChunkElements = size_t{1} << 18;
  std::vector<unsigned char> chunk(std::min(count, kChunkElements) * size);
  std::vector<double> values(std::min(count, kChunkElements));
  size_t done = 0;
  while (done < count) {
    const size_t want = std::min(kChunkElements, count - done);
    const size_t got = in.read(chunk.data(), want * size);
    const size_t whole = got / size;
    for (size_t i = 0; i < whole; ++i) values[i] = decode(chunk.data() + i * size, header.type_code);
    take(std::span<const double>(values.data(), whole));
    done += whole;
    if (got < want * size) {
      fail(path, "truncated: expected " + std::to_string(count * size) + " data bytes, found " +
                     std::to_string(done * size + got % size));
    }
  }
  // One byte more tells a file with more data than its header says; reading
  // stops there, so a gzip bomb behind a small header is never inflated whole.
  unsigned char extra = 0;
  if (in.read(&extra, 1) != 0) {
    fail(path, "trailing bytes after the " + std::to_string(count * size) + " data bytes the header promises");
  }
  return header;
}

IdxArray read_idx(const std::string& path, const IdxHeaderCheck& check) {
  IdxArray array;
  // The values grow only as data arrives: a header that promises much over a short file never
  // makes us allocate what it promises.
  const IdxHeader header = read_idx_chunks(path, check, [&](std::span<const double> values) {
    array.values.insert(array.values.end(), values.begin(), values.end());
  });
  array.dims = header.dims;
  array.type_code = header.type_code;
  return array;
}

namespace {

// A gzip file image of `data`, made in memory so that it can be written atomically.
std::string gzip_compress(const std::string& path, const std::string& data) {
  z_stream stream{};
  // windowBits 15 + 16 asks deflate for a gzip wrapper instead of zlib's own.
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("cannot compress " + path + ": deflateInit2 failed");
  }
  std::string out;
  std::array<char, 1 << 16> buffer{};
  size_t offset = 0;
  int status = Z_OK;
  while (status != Z_STREAM_END) {
    if (stream.avail_in == 0 && offset < data.size()) {
      const size_t chunk = std::min<size_t>(data.size() - offset, size_t{1} << 30);
      stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + offset));
      stream.avail_in = static_cast<uInt>(chunk);
      offset += chunk;
    }
    stream.next_out = reinterpret_cast<Bytef*>(buffer.data());
    stream.avail_out = static_cast<uInt>(buffer.size());
    status = deflate(&stream, offset == data.size() ? Z_FINISH : Z_NO_FLUSH);
    if (status == Z_STREAM_ERROR) {
      deflateEnd(&stream);
      throw std::runtime_error("cannot compress " + path + ": deflate failed");
    }
    out.append(buffer.data(), buffer.size() - stream.avail_out);
  }
  deflateEnd(&stream);
  return out;
}

}  // namespace

void write_idx_u8(const std::string& path, const std::vector<int64_t>& dims, const std::vector<uint8_t>& values) {
  if (dims.empty() || dims.size() > static_cast<size_t>(kMaxIdxDims)) {
    throw std::invalid_argument("cannot write IDX file " + path + ": " + std::to_string(dims.size()) +
                                " dimensions (expected 1 to " + std::to_string(kMaxIdxDims) + ")");
  }
  int64_t count = 1;
  for (int64_t d : dims) {
    // The reader refuses zero dimensions, so the writer must not produce them.
    if (d < 1 || d > UINT32_MAX) {
      throw std::invalid_argument("cannot write IDX file " + path + ": dimension " + std::to_string(d) +
                                  " outside 1 to 2^32-1");
    }
    count *= d;
  }
  if (count != static_cast<int64_t>(values.size())) {
    throw std::invalid_argument("cannot write IDX file " + path + ": dimensions hold " + std::to_string(count) +
                                " values, got " + std::to_string(values.size()));
  }
  std::string contents;
  contents.reserve(4 + 4 * dims.size() + values.size());
  contents += {'\0', '\0', '\x08', static_cast<char>(dims.size())};
  for (int64_t d : dims) {
    for (int shift = 24; shift >= 0; shift -= 8) contents += static_cast<char>((d >> shift) & 0xFF);
  }
  contents.append(reinterpret_cast<const char*>(values.data()), values.size());
  const bool gzip = path.size() >= 3 && path.compare(path.size() - 3, 3, ".gz") == 0;
  write_file_atomic(path, gzip ? gzip_compress(path, contents) : contents);
}

}  // namespace nnlab
