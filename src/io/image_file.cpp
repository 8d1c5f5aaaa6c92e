#include "nnlab/io/image_file.h"

#include <filesystem>
#include <stdexcept>

#include "nnlab/io/atomic_file.h"
#include "nnlab/io/input_file.h"
#include "nnlab/io/pgm.h"
#include "nnlab/io/png.h"

namespace nnlab {

namespace {

bool starts_with(std::string_view bytes, std::string_view prefix) { return bytes.substr(0, prefix.size()) == prefix; }

// The formats people are most likely to try instead, by their first bytes.
std::string other_format(std::string_view bytes) {
  if (starts_with(bytes, "\xFF\xD8\xFF")) return "JPEG";
  if (starts_with(bytes, "GIF87a") || starts_with(bytes, "GIF89a")) return "GIF";
  if (starts_with(bytes, "BM")) return "BMP";
  if (starts_with(bytes, "II*") || starts_with(bytes, std::string_view("MM\0*", 4))) return "TIFF";
  if (starts_with(bytes, "RIFF") && bytes.substr(8, 4) == "WEBP") return "WebP";
  if (starts_with(bytes, "<svg") || starts_with(bytes, "<?xml")) return "SVG";
  if (bytes.size() >= 2 && bytes[0] == 'P' && bytes[1] >= '1' && bytes[1] <= '7') {
    return bytes[1] == '1' || bytes[1] == '4'   ? "PBM (Netpbm bitmap)"
           : bytes[1] == '3' || bytes[1] == '6' ? "PPM (Netpbm colour)"
                                                : "PAM";
  }
  return "";
}

}  // namespace

GreyImage decode_image(std::string_view bytes, const std::string& name) {
  if (looks_like_png(bytes)) return decode_png(bytes, name);
  if (looks_like_pgm(bytes)) return decode_pgm(bytes, name);
  if (bytes.empty()) throw std::runtime_error("image " + name + " is empty");
  const std::string format = other_format(bytes);
  if (!format.empty()) {
    throw std::runtime_error("image " + name + " is a " + format +
                             " file; nnlab reads PNG and PGM: convert it first (e.g. convert " + name + " digit.png)");
  }
  throw std::runtime_error("image " + name + " is neither PNG nor PGM (it starts with neither \\x89PNG nor P2/P5)");
}

GreyImage read_image(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) throw std::runtime_error("image " + path + " does not exist");
  if (!std::filesystem::is_regular_file(path, error)) throw std::runtime_error("image " + path + " is not a file");
  // Even uncompressed, the largest image accepted (16-bit grey) fits in this.
  constexpr uint64_t kMaxImageFileBytes = 2 * static_cast<uint64_t>(kMaxImagePixels) + (uint64_t{1} << 20);
  const InputFile file(path);
  if (file.size() > kMaxImageFileBytes) {
    throw std::runtime_error("image " + path + " is " + std::to_string(file.size()) +
                             " bytes, more than any image of " + std::to_string(kMaxImagePixels) + " pixels needs");
  }
  return decode_image(file.read(0, file.size()), path);
}

void write_pgm(const std::string& path, const GreyImage& image) { write_file_atomic(path, encode_pgm(image)); }

}  // namespace nnlab
