// The safetensors decoder on any bytes: errors are exceptions; what decodes
// encodes back to a file that decodes to the same tensors.

#include <exception>
#include <stdexcept>

#include "fuzz_file.h"
#include "nnlab/io/safetensors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  nnlab::SafetensorsContents contents;
  try {
    contents = nnlab::decode_safetensors(nnlab::fuzz::text_of(data, size), "fuzz.safetensors");
  } catch (const std::exception&) {
    return 0;
  }
  // What was read can be written (F64 is read into float, so write F32) and read back the same.
  for (auto& [name, tensor] : contents.tensors) {
    if (tensor.dtype == "F64") tensor.dtype = "F32";
  }
  std::string bytes;
  try {
    bytes = nnlab::encode_safetensors(contents);
  } catch (const std::invalid_argument&) {
    return 0;  // e.g. a name that is not valid UTF-8: refused on writing
  }
  const nnlab::SafetensorsContents back = nnlab::decode_safetensors(bytes, "again.safetensors");
  NNLAB_FUZZ_REQUIRE(back.metadata == contents.metadata);
  NNLAB_FUZZ_REQUIRE(back.tensors.size() == contents.tensors.size());
  for (const auto& [name, tensor] : contents.tensors) {
    const nnlab::SafetensorsTensor& other = back.tensors.at(name);
    NNLAB_FUZZ_REQUIRE(other.shape == tensor.shape && other.integers == tensor.integers);
    NNLAB_FUZZ_REQUIRE(other.data.size() == tensor.data.size());
    for (size_t i = 0; i < tensor.data.size(); ++i) {
      NNLAB_FUZZ_REQUIRE(other.data[i] == tensor.data[i] || (other.data[i] != other.data[i]));
    }
  }
  return 0;
}
