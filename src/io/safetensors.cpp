#include "nnlab/io/safetensors.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <tuple>

#include "nnlab/io/atomic_file.h"
#include "nnlab/io/input_file.h"

namespace nnlab {

namespace {

using nlohmann::json;

constexpr size_t kLengthBytes = 8;
// The largest JSON header read: the reference implementation's own limit (100 MB)
// that a header of millions of tensors stays far below.
constexpr uint64_t kMaxHeaderBytes = 100'000'000;
constexpr const char* kMetadataKey = "__metadata__";

static_assert(std::numeric_limits<float>::is_iec559 && std::numeric_limits<double>::is_iec559,
              "safetensors stores IEEE 754 floats");

// 0 for a dtype nnlab cannot read or write.
size_t dtype_size(const std::string& dtype) {
  if (dtype == "U8") return 1;
  if (dtype == "F32") return 4;
  if (dtype == "F64" || dtype == "I64") return 8;
  return 0;
}

// Little-endian byte by byte, so the file is the same on any machine.
void append_le(std::string& out, uint64_t value, size_t bytes) {
  for (size_t i = 0; i < bytes; ++i) out += static_cast<char>((value >> (8 * i)) & 0xFF);
}

uint64_t read_le(const char* in, size_t bytes) {
  uint64_t value = 0;
  for (size_t i = 0; i < bytes; ++i) value |= static_cast<uint64_t>(static_cast<unsigned char>(in[i])) << (8 * i);
  return value;
}

// The element count of a shape; false when a dimension is negative or the
// product overflows (a hostile header must not make it wrap around).
bool element_count(const std::vector<int64_t>& shape, uint64_t& count) {
  count = 1;
  for (int64_t dim : shape) {
    if (dim < 0) return false;
    const auto d = static_cast<uint64_t>(dim);
    if (d != 0 && count > std::numeric_limits<uint64_t>::max() / d) return false;
    count *= d;
  }
  return true;
}

std::string in_quotes(const std::string& name) { return "'" + name + "'"; }

// --- reading -------------------------------------------------------------

// A header entry before its data is read.
struct Entry {
  std::string name;
  std::string dtype;
  std::vector<int64_t> shape;
  uint64_t begin = 0;
  uint64_t end = 0;
};

// Parses JSON and rejects repeated keys in any object: the JSON library keeps
// only one of them, which would silently drop a tensor or a metadata value.
json parse_header(std::string_view text, const std::string& source) {
  std::vector<std::set<std::string>> open_objects;
  std::string repeated;
  auto watch_keys = [&](int /*depth*/, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::object_start) open_objects.emplace_back();
    if (event == json::parse_event_t::object_end && !open_objects.empty()) open_objects.pop_back();
    if (event == json::parse_event_t::key && !open_objects.empty() &&
        !open_objects.back().insert(parsed.get<std::string>()).second && repeated.empty()) {
      repeated = parsed.get<std::string>();
    }
    return true;
  };
  json header;
  try {
    header = json::parse(text.begin(), text.end(), watch_keys);
  } catch (const json::exception& e) {
    throw std::runtime_error(source + ": header is not valid JSON (" + e.what() + ")");
  }
  if (!repeated.empty()) throw std::runtime_error(source + ": header repeats the key " + in_quotes(repeated));
  if (!header.is_object()) throw std::runtime_error(source + ": header is not a JSON object");
  return header;
}

uint64_t non_negative_integer(const json& value, const std::string& what, const std::string& source) {
  if (value.is_number_unsigned()) return value.get<uint64_t>();
  if (value.is_number_integer() && value.get<int64_t>() >= 0) return static_cast<uint64_t>(value.get<int64_t>());
  throw std::runtime_error(source + ": " + what + " must be a non-negative integer, got " + value.dump());
}

Entry parse_entry(const std::string& name, const json& info, const std::string& source) {
  const std::string where = source + ": tensor " + in_quotes(name);
  if (!info.is_object()) throw std::runtime_error(where + " is not a JSON object");
  for (const char* field : {"dtype", "shape", "data_offsets"}) {
    if (!info.contains(field)) throw std::runtime_error(where + " has no " + field);
  }
  Entry entry;
  entry.name = name;
  if (!info["dtype"].is_string()) throw std::runtime_error(where + ": dtype must be a string");
  entry.dtype = info["dtype"].get<std::string>();
  if (dtype_size(entry.dtype) == 0) {
    throw std::runtime_error(where + " has dtype " + entry.dtype + "; nnlab reads F32, F64, I64 and U8 only");
  }
  if (!info["shape"].is_array()) throw std::runtime_error(where + ": shape must be an array");
  for (const json& dim : info["shape"]) {
    const uint64_t d = non_negative_integer(dim, "tensor " + in_quotes(name) + " shape", source);
    if (d > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      throw std::runtime_error(where + ": dimension " + std::to_string(d) + " is too large");
    }
    entry.shape.push_back(static_cast<int64_t>(d));
  }
  const json& offsets = info["data_offsets"];
  if (!offsets.is_array() || offsets.size() != 2) {
    throw std::runtime_error(where + ": data_offsets must be [begin, end]");
  }
  entry.begin = non_negative_integer(offsets[0], "tensor " + in_quotes(name) + " data_offsets", source);
  entry.end = non_negative_integer(offsets[1], "tensor " + in_quotes(name) + " data_offsets", source);
  if (entry.end < entry.begin) {
    throw std::runtime_error(where + ": data_offsets [" + std::to_string(entry.begin) + ", " +
                             std::to_string(entry.end) + "] end before they begin");
  }
  uint64_t count = 0;
  const uint64_t size = dtype_size(entry.dtype);
  if (!element_count(entry.shape, count) || count > std::numeric_limits<uint64_t>::max() / size) {
    throw std::runtime_error(where + ": shape " + shape_text(entry.shape) + " is too large");
  }
  if (entry.end - entry.begin != count * size) {
    throw std::runtime_error(where + ": data_offsets [" + std::to_string(entry.begin) + ", " +
                             std::to_string(entry.end) + "] hold " + std::to_string(entry.end - entry.begin) +
                             " bytes, but shape " + shape_text(entry.shape) + " of " + entry.dtype + " needs " +
                             std::to_string(count * size));
  }
  return entry;
}

std::map<std::string, std::string> parse_metadata(const json& metadata, const std::string& source) {
  if (!metadata.is_object()) throw std::runtime_error(source + ": __metadata__ is not a JSON object");
  std::map<std::string, std::string> result;
  for (const auto& [key, value] : metadata.items()) {
    if (!value.is_string()) {
      throw std::runtime_error(source + ": metadata " + in_quotes(key) +
                               " is not a string (safetensors allows only strings)");
    }
    result[key] = value.get<std::string>();
  }
  return result;
}

// The tensors must tile the data section: sorted by offset, each starts where
// the one before ended, and the last ends at the end of the file.
void check_layout(std::vector<Entry>& entries, uint64_t data_size, const std::string& source) {
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return std::tie(a.begin, a.end) < std::tie(b.begin, b.end); });
  uint64_t expected = 0;
  for (const Entry& entry : entries) {
    if (entry.end > data_size) {
      throw std::runtime_error(source + ": tensor " + in_quotes(entry.name) + " data_offsets [" +
                               std::to_string(entry.begin) + ", " + std::to_string(entry.end) +
                               "] run past the end of the data (" + std::to_string(data_size) + " bytes)");
    }
    if (entry.begin < expected) {
      throw std::runtime_error(source + ": tensor " + in_quotes(entry.name) +
                               " overlaps another tensor (it begins at " + std::to_string(entry.begin) +
                               ", the one before ends at " + std::to_string(expected) + ")");
    }
    if (entry.begin > expected) {
      throw std::runtime_error(source + ": bytes " + std::to_string(expected) + " to " + std::to_string(entry.begin) +
                               " of the data belong to no tensor");
    }
    expected = entry.end;
  }
  if (expected != data_size) {
    throw std::runtime_error(source + ": the data section has " + std::to_string(data_size) +
                             " bytes but the tensors cover " + std::to_string(expected));
  }
}

SafetensorsTensor read_values(const Entry& entry, const char* data, const std::string& source, F64Reading f64) {
  SafetensorsTensor tensor;
  tensor.shape = entry.shape;
  tensor.dtype = entry.dtype;
  const size_t size = dtype_size(entry.dtype);
  const size_t count = static_cast<size_t>((entry.end - entry.begin) / size);
  const char* in = data + entry.begin;
  if (tensor.is_bytes()) {
    tensor.bytes.assign(in, count);
    return tensor;
  }
  if (tensor.is_integer()) {
    tensor.integers.resize(count);
    for (size_t i = 0; i < count; ++i, in += size) tensor.integers[i] = std::bit_cast<int64_t>(read_le(in, 8));
    return tensor;
  }
  if (size == 8 && f64 == F64Reading::kExact) {
    tensor.doubles.resize(count);
    for (size_t i = 0; i < count; ++i, in += size) tensor.doubles[i] = std::bit_cast<double>(read_le(in, 8));
    return tensor;
  }
  tensor.data.resize(count);
  for (size_t i = 0; i < count; ++i, in += size) {
    if (size == 4) {
      tensor.data[i] = std::bit_cast<float>(static_cast<uint32_t>(read_le(in, 4)));
      continue;
    }
    const auto value = std::bit_cast<double>(read_le(in, 8));
    // Converting a finite double beyond float's range is undefined behaviour in C++.
    if (std::isfinite(value) && std::abs(value) > static_cast<double>(std::numeric_limits<float>::max())) {
      throw std::runtime_error(source + ": tensor " + in_quotes(entry.name) + " holds " + std::to_string(value) +
                               ", beyond the range of float");
    }
    tensor.data[i] = static_cast<float>(value);
  }
  return tensor;
}

// The values a tensor holds, in the field its dtype uses.
size_t value_count(const SafetensorsTensor& tensor) {
  if (tensor.is_bytes()) return tensor.bytes.size();
  if (tensor.is_integer()) return tensor.integers.size();
  if (tensor.dtype == "F64" && !tensor.doubles.empty()) return tensor.doubles.size();
  return tensor.data.size();
}

// The name of a field that holds values its dtype does not use; empty when none does.
std::string unused_field(const SafetensorsTensor& tensor) {
  const bool f64 = tensor.dtype == "F64";
  const bool floats = tensor.dtype == "F32" || f64;
  if (!tensor.is_integer() && !tensor.integers.empty()) return "integers";
  if (!tensor.is_bytes() && !tensor.bytes.empty()) return "bytes";
  if (!f64 && !tensor.doubles.empty()) return "double data";
  if (!floats && !tensor.data.empty()) return "float data";
  if (f64 && !tensor.doubles.empty() && !tensor.data.empty()) return "both float and double data";
  return "";
}

void check_header_size(uint64_t header_size, uint64_t file_size, const std::string& source) {
  if (header_size > file_size - kLengthBytes) {
    throw std::runtime_error(source + ": not a safetensors file: header length " + std::to_string(header_size) +
                             " is larger than the file (" + std::to_string(file_size) + " bytes)");
  }
  if (header_size > kMaxHeaderBytes) {
    throw std::runtime_error(source + ": header length " + std::to_string(header_size) + " is over the limit of " +
                             std::to_string(kMaxHeaderBytes) + " bytes of JSON");
  }
}

}  // namespace

std::string shape_text(const std::vector<int64_t>& shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

std::string encode_safetensors(const SafetensorsContents& contents) {
  json header = json::object();
  if (!contents.metadata.empty()) header[kMetadataKey] = contents.metadata;
  uint64_t offset = 0;
  for (const auto& [name, tensor] : contents.tensors) {
    if (name.empty() || name == kMetadataKey) throw std::invalid_argument("bad tensor name " + in_quotes(name));
    const size_t size = dtype_size(tensor.dtype);
    if (size == 0) throw std::invalid_argument("tensor " + in_quotes(name) + ": cannot write dtype " + tensor.dtype);
    const std::string unused = unused_field(tensor);
    if (!unused.empty()) {
      throw std::invalid_argument("tensor " + in_quotes(name) + " of dtype " + tensor.dtype + " has " + unused);
    }
    uint64_t count = 0;
    const size_t values = value_count(tensor);
    if (!element_count(tensor.shape, count) || count != values) {
      throw std::invalid_argument("tensor " + in_quotes(name) + " of shape " + shape_text(tensor.shape) + " has " +
                                  std::to_string(values) + " values");
    }
    header[name] = {
        {"dtype", tensor.dtype}, {"shape", tensor.shape}, {"data_offsets", {offset, offset + count * size}}};
    offset += count * size;
  }
  std::string text;
  try {
    text = header.dump();
  } catch (const json::exception& e) {
    throw std::invalid_argument(std::string("tensor names and metadata must be valid UTF-8 (") + e.what() + ")");
  }
  // The reference implementation pads so that the data starts 8-byte aligned.
  text.append((kLengthBytes - text.size() % kLengthBytes) % kLengthBytes, ' ');

  std::string bytes;
  bytes.reserve(kLengthBytes + text.size() + offset);
  append_le(bytes, text.size(), kLengthBytes);
  bytes += text;
  for (const auto& [name, tensor] : contents.tensors) {
    bytes += tensor.bytes;
    for (int64_t value : tensor.integers) append_le(bytes, std::bit_cast<uint64_t>(value), 8);
    for (double value : tensor.doubles) append_le(bytes, std::bit_cast<uint64_t>(value), 8);
    for (float value : tensor.data) {
      if (tensor.dtype == "F32") {
        append_le(bytes, std::bit_cast<uint32_t>(value), 4);
      } else {
        append_le(bytes, std::bit_cast<uint64_t>(static_cast<double>(value)), 8);
      }
    }
  }
  return bytes;
}

SafetensorsContents decode_safetensors(std::string_view bytes, const std::string& source, F64Reading f64) {
  if (bytes.size() < kLengthBytes) {
    throw std::runtime_error(source + ": not a safetensors file: " + std::to_string(bytes.size()) +
                             " bytes, shorter than the 8-byte header length");
  }
  const uint64_t header_size = read_le(bytes.data(), kLengthBytes);
  check_header_size(header_size, bytes.size(), source);
  const json header = parse_header(bytes.substr(kLengthBytes, static_cast<size_t>(header_size)), source);
  const std::string_view data = bytes.substr(kLengthBytes + static_cast<size_t>(header_size));

  SafetensorsContents contents;
  std::vector<Entry> entries;
  for (const auto& [key, value] : header.items()) {
    if (key == kMetadataKey) {
      contents.metadata = parse_metadata(value, source);
    } else {
      entries.push_back(parse_entry(key, value, source));
    }
  }
  check_layout(entries, data.size(), source);
  for (const Entry& entry : entries) contents.tensors[entry.name] = read_values(entry, data.data(), source, f64);
  return contents;
}

void write_safetensors(const std::string& path, const SafetensorsContents& contents) {
  std::string bytes;
  try {
    bytes = encode_safetensors(contents);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument("cannot write " + path + ": " + e.what());
  }
  write_file_atomic(path, bytes);
}

SafetensorsContents read_safetensors(const std::string& path, F64Reading f64) {
  // The header length is checked against the file's real size before the rest
  // is read: a device, a pipe or a file that claims more than it holds costs nothing.
  const InputFile file(path);
  if (file.size() < kLengthBytes) {
    throw std::runtime_error(path + ": not a safetensors file: " + std::to_string(file.size()) +
                             " bytes, shorter than the 8-byte header length");
  }
  check_header_size(read_le(file.read(0, kLengthBytes).data(), kLengthBytes), file.size(), path);
  return decode_safetensors(file.read(0, file.size()), path, f64);
}

}  // namespace nnlab
