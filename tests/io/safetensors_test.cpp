#include "nnlab/io/safetensors.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bit>
#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "io/safetensors_bytes.h"
#include "temp_dir.h"

namespace nnlab::test {
namespace {

// Four bytes of a float, little-endian, written out by hand.
std::string f32_bytes(uint32_t bits) {
  return {static_cast<char>(bits & 0xFF), static_cast<char>((bits >> 8) & 0xFF), static_cast<char>((bits >> 16) & 0xFF),
          static_cast<char>(bits >> 24)};
}

std::string f64_bytes(double value) {
  const auto bits = std::bit_cast<uint64_t>(value);
  std::string bytes;
  for (int i = 0; i < 8; ++i) bytes += static_cast<char>((bits >> (8 * i)) & 0xFF);
  return bytes;
}

// Reading `bytes` from a file fails with one line naming the file and containing `words`.
void expect_read_error(const TempDir& dir, const std::string& bytes, const std::string& words) {
  const std::string path = dir.file("bad.safetensors");
  write_bytes(path, bytes);
  try {
    read_safetensors(path);
    ADD_FAILURE() << "no error for " << words;
  } catch (const std::runtime_error& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find(path), std::string::npos) << message;
    EXPECT_NE(message.find(words), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

TEST(Safetensors, ExactBytesOfATinyFile) {
  SafetensorsContents contents;
  contents.metadata["k"] = "v";
  contents.tensors["w"] = {{2}, {1.0f, -2.0f}, "F32"};
  const std::string bytes = encode_safetensors(contents);

  // 79 bytes of JSON padded with one space to 80, a multiple of 8.
  const std::string header = R"({"__metadata__":{"k":"v"},"w":{"data_offsets":[0,8],"dtype":"F32","shape":[2]}} )";
  ASSERT_EQ(header.size(), 80u);
  const std::string length = {'\x50', 0, 0, 0, 0, 0, 0, 0};
  // 1.0f = 0x3F800000, -2.0f = 0xC0000000, least significant byte first.
  const std::string data = {0, 0, '\x80', '\x3F', 0, 0, 0, '\xC0'};
  EXPECT_EQ(bytes, length + header + data);
  EXPECT_EQ(bytes.size(), 96u);
}

TEST(Safetensors, RoundTripThroughAFile) {
  TempDir dir;
  SafetensorsContents contents;
  contents.metadata = {{"nnlab.model", "linear:3"}, {"note", "ünïcode ✓"}};
  contents.tensors["a.weight"] = {{2, 3}, {1.5f, -0.0f, 3.25e-30f, 7.0f, -8.5f, 1e30f}, "F32"};
  contents.tensors["b"] = {{}, {42.0f}, "F32"};  // a scalar
  contents.tensors["c"] = {{0, 4}, {}, "F32"};   // no elements
  contents.tensors["d"] = {{3}, {0.1f, 0.2f, -0.3f}, "F64"};
  const std::string path = dir.file("t.safetensors");
  write_safetensors(path, contents);

  const SafetensorsContents back = read_safetensors(path);
  EXPECT_EQ(back.metadata, contents.metadata);
  ASSERT_EQ(back.tensors.size(), 4u);
  for (const auto& [name, tensor] : contents.tensors) {
    const SafetensorsTensor& read = back.tensors.at(name);
    EXPECT_EQ(read.shape, tensor.shape) << name;
    EXPECT_EQ(read.dtype, tensor.dtype) << name;
    ASSERT_EQ(read.data.size(), tensor.data.size()) << name;
    for (size_t i = 0; i < tensor.data.size(); ++i) {
      EXPECT_EQ(std::bit_cast<uint32_t>(read.data[i]), std::bit_cast<uint32_t>(tensor.data[i])) << name << i;
    }
  }
}

// Integer tensors (PyTorch's int64 buffers, such as num_batches_tracked) keep every bit.
TEST(Safetensors, I64TensorsAreExactIntegers) {
  SafetensorsContents contents;
  contents.tensors["count"] = {{}, {}, "I64", {30}};
  contents.tensors["ids"] = {{3}, {}, "I64", {-1, int64_t{1} << 60, 7}};
  const std::string bytes = encode_safetensors(contents);
  // The data section: count's 30 as 8 little-endian bytes (tensors in name order), then ids's 24 bytes.
  EXPECT_EQ(bytes.substr(bytes.size() - 32, 8), std::string("\x1E\0\0\0\0\0\0\0", 8));
  const SafetensorsContents back = decode_safetensors(bytes, "mem");
  EXPECT_EQ(back.tensors.at("count").dtype, "I64");
  EXPECT_TRUE(back.tensors.at("count").shape.empty());
  EXPECT_EQ(back.tensors.at("count").integers, (std::vector<int64_t>{30}));
  EXPECT_EQ(back.tensors.at("ids").integers, (std::vector<int64_t>{-1, int64_t{1} << 60, 7}));
  EXPECT_TRUE(back.tensors.at("ids").data.empty());

  SafetensorsContents mixed;
  mixed.tensors["x"] = {{1}, {1.0f}, "I64", {1}};
  EXPECT_THROW(encode_safetensors(mixed), std::invalid_argument);
  mixed.tensors["x"] = {{2}, {}, "I64", {1}};
  EXPECT_THROW(encode_safetensors(mixed), std::invalid_argument);
}

// State files keep F64 exactly (read with F64Reading::kExact) and byte strings as U8.
TEST(Safetensors, F64KeptExactAndU8Bytes) {
  SafetensorsContents contents;
  const std::vector<double> exact = {0.1, -1e300, 5e-324, 1.0 / 3.0};
  contents.tensors["d"] = {{2, 2}, {}, "F64", {}, exact};
  const std::string blob("a\0b\xFF z", 6);
  contents.tensors["s"] = {{6}, {}, "U8", {}, {}, blob};
  const std::string bytes = encode_safetensors(contents);
  // The data section: d's 32 bytes (name order), then s's 6 bytes as they are.
  EXPECT_EQ(bytes.substr(bytes.size() - 6), blob);
  EXPECT_EQ(bytes.substr(bytes.size() - 38, 8), f64_bytes(0.1));

  const SafetensorsContents back = decode_safetensors(bytes, "mem", F64Reading::kExact);
  EXPECT_EQ(back.tensors.at("d").dtype, "F64");
  EXPECT_EQ(back.tensors.at("d").shape, (std::vector<int64_t>{2, 2}));
  ASSERT_EQ(back.tensors.at("d").doubles.size(), 4u);
  for (size_t i = 0; i < exact.size(); ++i) {
    EXPECT_EQ(std::bit_cast<uint64_t>(back.tensors.at("d").doubles[i]), std::bit_cast<uint64_t>(exact[i])) << i;
  }
  EXPECT_TRUE(back.tensors.at("d").data.empty());
  EXPECT_TRUE(back.tensors.at("s").is_bytes());
  EXPECT_EQ(back.tensors.at("s").bytes, blob);
  // Read for a model, the same F64 tensor goes to float, and -1e300 does not fit.
  EXPECT_THROW(decode_safetensors(bytes, "mem"), std::runtime_error);

  SafetensorsContents mixed;
  mixed.tensors["x"] = {{1}, {1.0f}, "F64", {}, {1.0}};  // both float and double values
  EXPECT_THROW(encode_safetensors(mixed), std::invalid_argument);
  mixed.tensors["x"] = {{1}, {}, "F32", {}, {1.0}};  // doubles in an F32 tensor
  EXPECT_THROW(encode_safetensors(mixed), std::invalid_argument);
  mixed.tensors["x"] = {{2}, {}, "U8", {}, {}, "abc"};  // 3 bytes for shape [2]
  EXPECT_THROW(encode_safetensors(mixed), std::invalid_argument);
  mixed.tensors["x"] = {{1}, {1.0f}, "U8", {}, {}, "a"};
  EXPECT_THROW(encode_safetensors(mixed), std::invalid_argument);
}

TEST(Safetensors, ReadsWhatOtherWritersProduce) {
  // Fields in another order, spaces, no metadata, tensors out of name order, F64.
  const std::string header = R"({ "z": {"shape": [1], "data_offsets": [0, 8], "dtype": "F64"},
                                   "a": {"dtype": "F32", "data_offsets": [8, 12], "shape": [1, 1]} }   )";
  const SafetensorsContents contents =
      decode_safetensors(safetensors_bytes(header, f64_bytes(-0.5) + f32_bytes(0x40490FDB)), "mem");
  EXPECT_TRUE(contents.metadata.empty());
  EXPECT_EQ(contents.tensors.at("z").data, std::vector<float>{-0.5f});
  EXPECT_EQ(contents.tensors.at("z").dtype, "F64");
  EXPECT_EQ(contents.tensors.at("a").shape, (std::vector<int64_t>{1, 1}));
  EXPECT_EQ(contents.tensors.at("a").data, std::vector<float>{3.14159274f});
}

TEST(Safetensors, BadFilesNameThePathAndTheProblem) {
  TempDir dir;
  const std::string one = f32_bytes(0x3F800000);
  const auto file = [](const std::string& tensor_json, const std::string& data) {
    return safetensors_bytes(R"({"t":)" + tensor_json + "}", data);
  };
  {
    const std::string missing = dir.file("missing.safetensors");
    EXPECT_THROW(
        {
          try {
            read_safetensors(missing);
          } catch (const std::runtime_error& e) {
            EXPECT_NE(std::string(e.what()).find(missing), std::string::npos) << e.what();
            throw;
          }
        },
        std::runtime_error);
  }
  expect_read_error(dir, "", "shorter than the 8-byte header length");
  expect_read_error(dir, std::string("\x05\0\0", 3), "shorter than the 8-byte header length");
  expect_read_error(dir, safetensors_bytes("{}", "").substr(0, 9), "header length 2 is larger than the file");
  expect_read_error(dir, std::string(8, '\xFF') + "{}", "is larger than the file");
  expect_read_error(dir, safetensors_bytes("{\"t\": ", ""), "header is not valid JSON");
  expect_read_error(dir, safetensors_bytes("", ""), "header is not valid JSON");
  expect_read_error(dir, safetensors_bytes("[1, 2]", ""), "header is not a JSON object");
  expect_read_error(dir, file(R"({"dtype":"F16","shape":[1],"data_offsets":[0,2]})", "ab"), "has dtype F16");
  expect_read_error(dir, file(R"({"dtype":7,"shape":[1],"data_offsets":[0,4]})", one), "dtype must be a string");
  expect_read_error(dir, file(R"({"shape":[1],"data_offsets":[0,4]})", one), "has no dtype");
  expect_read_error(dir, file(R"({"dtype":"F32","shape":[-1],"data_offsets":[0,4]})", one), "non-negative integer");
  expect_read_error(dir, file(R"({"dtype":"F32","shape":[1.5],"data_offsets":[0,4]})", one), "non-negative integer");
  expect_read_error(dir, file(R"({"dtype":"F32","shape":[1],"data_offsets":[0]})", one), "must be [begin, end]");
  expect_read_error(dir, file(R"({"dtype":"F32","shape":[1],"data_offsets":[4,0]})", one), "end before they begin");
  expect_read_error(dir, file(R"({"dtype":"F32","shape":[2],"data_offsets":[0,4]})", one),
                    "hold 4 bytes, but shape [2] of F32 needs 8");
  expect_read_error(dir, file(R"({"dtype":"F32","shape":[2],"data_offsets":[0,8]})", one),
                    "run past the end of the data (4 bytes)");
  expect_read_error(dir, file(R"({"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,4]})", one),
                    "is too large");
  expect_read_error(dir, file(R"({"dtype":"F32","shape":[1],"data_offsets":[0,4]})", one + one),
                    "the data section has 8 bytes but the tensors cover 4");
  expect_read_error(dir, file(R"({"dtype":"F32","shape":[1],"data_offsets":[4,8]})", one + one),
                    "bytes 0 to 4 of the data belong to no tensor");
  expect_read_error(dir,
                    safetensors_bytes(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},
                                          "b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
                                      one + one),
                    "overlaps another tensor");
  expect_read_error(dir,
                    safetensors_bytes(R"({"t":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},
                                          "t":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
                                      one + one),
                    "header repeats the key 't'");
  expect_read_error(dir, safetensors_bytes(R"({"__metadata__":{"n":1}})", ""), "metadata 'n' is not a string");
  expect_read_error(dir, safetensors_bytes(R"({"__metadata__":[]})", ""), "__metadata__ is not a JSON object");
  expect_read_error(dir, file(R"({"dtype":"F64","shape":[1],"data_offsets":[0,8]})", f64_bytes(1e300)),
                    "beyond the range of float");
}

// A reader that trusted the file would read /dev/zero without end, wait forever on a
// FIFO, or read a whole large file to find its header length absurd.
TEST(Safetensors, HostileFilesAreRefusedBeforeTheyAreRead) {
  TempDir dir;
  auto expect_refused = [](const std::string& path, const std::string& words) {
    const auto start = std::chrono::steady_clock::now();
    try {
      read_safetensors(path);
      ADD_FAILURE() << "no error for " << path;
    } catch (const std::runtime_error& error) {
      const std::string message = error.what();
      EXPECT_NE(message.find(path), std::string::npos) << message;
      EXPECT_NE(message.find(words), std::string::npos) << message;
    }
    EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 2.0) << path;
  };
  expect_refused("/dev/zero", "not a regular file");
  const std::string fifo = dir.file("model.fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  expect_refused(fifo, "not a regular file");
  expect_refused(dir.str(), "is a folder");

  // A sparse 300 MB file (no disk space used) whose header claims 200 MB of JSON.
  const std::string sparse = dir.file("sparse.safetensors");
  std::string length;
  for (int i = 0; i < 8; ++i) length += static_cast<char>((uint64_t{200'000'000} >> (8 * i)) & 0xFF);
  write_bytes(sparse, length);
  ASSERT_EQ(::truncate(sparse.c_str(), 300'000'000), 0);
  expect_refused(sparse, "header length 200000000 is over the limit of 100000000 bytes of JSON");
  // A header length of 2^63 - 1 in a small file.
  write_bytes(sparse, std::string(7, '\xFF') + '\x7F' + "{}");
  expect_refused(sparse, "header length 9223372036854775807 is larger than the file (10 bytes)");
}

TEST(Safetensors, RefusesToWriteInconsistentTensors) {
  TempDir dir;
  const std::string path = dir.file("never.safetensors");
  SafetensorsContents short_data;
  short_data.tensors["w"] = {{2, 2}, {1.0f, 2.0f, 3.0f}, "F32"};
  EXPECT_THROW(write_safetensors(path, short_data), std::invalid_argument);
  SafetensorsContents half;
  half.tensors["w"] = {{1}, {1.0f}, "F16"};
  EXPECT_THROW(write_safetensors(path, half), std::invalid_argument);
  SafetensorsContents reserved;
  reserved.tensors["__metadata__"] = {{1}, {1.0f}, "F32"};
  EXPECT_THROW(write_safetensors(path, reserved), std::invalid_argument);
  SafetensorsContents not_utf8;
  not_utf8.metadata["k"] = "\xFF";
  EXPECT_THROW(write_safetensors(path, not_utf8), std::invalid_argument);
  EXPECT_TRUE(dir.names().empty());
}

}  // namespace
}  // namespace nnlab::test
