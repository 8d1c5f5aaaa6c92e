#pragma once
// The safetensors format (https://github.com/huggingface/safetensors), which
// PyTorch, JAX and the Hugging Face tools read:
//
//   8 bytes    N, the header length, unsigned little-endian
//   N bytes    UTF-8 JSON header, padded with spaces to a multiple of 8 bytes:
//                {"__metadata__": {"key": "value", ...},
//                 "0.weight": {"dtype": "F32", "shape": [3, 5], "data_offsets": [0, 60]}, ...}
//   the rest   the tensors' raw little-endian bytes; data_offsets are [begin, end)
//              relative to the start of this section, and the tensors cover it
//              exactly, without gaps or overlaps.
//
// Bytes are assembled one by one, so files are little-endian whatever the
// machine. nnlab writes F32 (and F64 on request) and reads both into float;
// integer tensors (PyTorch's int64 buffers, such as BatchNorm's
// num_batches_tracked) are I64 and kept as int64_t. State files (state dicts,
// nnlab/state/state_dict.h) also keep F64 exactly, as double, and byte strings
// (a random generator's state) as U8.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace nnlab {

struct SafetensorsTensor {
  // Any rank, including 0 (a scalar); row-major.
  std::vector<int64_t> shape;
  // The values of a float tensor (dtype F32 or F64).
  std::vector<float> data;
  // How the values are (or were) stored in the file: "F32", "F64", "I64" or "U8".
  // Reading converts F64 to float unless asked to keep it exact (F64Reading), so
  // this tells where precision was lost.
  std::string dtype = "F32";
  // The values of an integer tensor (dtype I64); data is then empty.
  std::vector<int64_t> integers = {};
  // The exact values of an F64 tensor: written instead of data when not empty,
  // filled by reading with F64Reading::kExact (data is then empty).
  std::vector<double> doubles = {};
  // The bytes of a U8 tensor (any bytes, a string's included); data is then empty.
  std::string bytes = {};

  bool is_integer() const { return dtype == "I64"; }
  bool is_bytes() const { return dtype == "U8"; }
};

struct SafetensorsContents {
  std::map<std::string, SafetensorsTensor> tensors;
  std::map<std::string, std::string> metadata;
};

// The file's bytes. Tensors are laid out in name order.
// Throws std::invalid_argument for a tensor whose values (data; integers for
// I64; bytes for U8; doubles or data for F64) do not fill its shape, values in
// a field its dtype does not use, an unknown dtype, a reserved or empty name, or
// text that is not valid UTF-8.
std::string encode_safetensors(const SafetensorsContents& contents);

// How reading stores F64 tensors: converted to float in `data` (what a model
// needs; a finite value beyond float's range is an error), or exactly in `doubles`.
enum class F64Reading { kAsFloat, kExact };

// Parses and validates the bytes of a file; `source` (usually the path) starts
// every error message. Throws std::runtime_error naming the problem.
SafetensorsContents decode_safetensors(std::string_view bytes, const std::string& source,
                                       F64Reading f64 = F64Reading::kAsFloat);

// Writes the file atomically (whole or not at all).
void write_safetensors(const std::string& path, const SafetensorsContents& contents);

// Reads and validates a file; throws std::runtime_error naming the path and the problem.
SafetensorsContents read_safetensors(const std::string& path, F64Reading f64 = F64Reading::kAsFloat);

// "[10, 784]", the form error messages use.
std::string shape_text(const std::vector<int64_t>& shape);

}  // namespace nnlab
