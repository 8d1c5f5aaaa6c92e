#pragma once
// A safetensors file by hand, for files that are broken on purpose: the 8-byte
// little-endian header length, the JSON header, the data.

#include <string>

namespace nnlab::test {

inline std::string safetensors_bytes(const std::string& header, const std::string& data) {
  std::string bytes;
  for (int i = 0; i < 8; ++i) bytes += static_cast<char>((header.size() >> (8 * i)) & 0xFF);
  return bytes + header + data;
}

}  // namespace nnlab::test
