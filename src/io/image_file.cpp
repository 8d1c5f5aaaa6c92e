#include "nnlab/io/image_file.h"

#include <filesystem>
#include <stdexcept>

#include "nnlab/io/atomic_file.h"
#include "nnlab/io/input_file.h"
#include "nnlab/io/jpeg.h"
#include "nnlab/io/pgm.h"
#include "nnlab/io/png.h"

namespace nnlab {

namespace {

bool starts_with(std::string_view bytes, std::string_view prefix) { return bytes.substr(0, prefix.size()) == prefix; }

// The formats people are most likely to try instead, by their first bytes.
std::string other_format(std::string_view bytes) {
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

[[noreturn]] void unknown_format(std::string_view bytes, const std::string& name) {
  if (bytes.empty()) throw std::runtime_error("image " + name + " is empty");
  const std::string format = other_format(bytes);
  if (!format.empty()) {
    throw std::runtime_error("image " + name + " is a " + format +
                             " file; nnlab reads PNG, JPEG and PGM: convert it first (e.g. convert " + name +
                             " image.png)");
  }
  throw std::runtime_error("image " + name +
                           " is not PNG, JPEG or PGM (it starts with neither \\x89PNG, \\xFF\\xD8 nor P2/P5)");
}

GreyImage decode_image(std::string_view bytes, const std::string& name) {
  if (looks_like_png(bytes)) return decode_png(bytes, name);
  if (looks_like_pgm(bytes)) return decode_pgm(bytes, name);
  if (looks_like_jpeg(bytes)) return to_grey(decode_jpeg(bytes, name));
  unknown_format(bytes, name);
}

ColorImage decode_color_image(std::string_view bytes, const std::string& name) {
  if (looks_like_png(bytes)) return decode_png_color(bytes, name);
  if (looks_like_jpeg(bytes)) return decode_jpeg(bytes, name);
  if (looks_like_pgm(bytes)) {
    const GreyImage grey = decode_pgm(bytes, name);
    ColorImage image(grey.width, grey.height, 1);
    image.pixels = grey.pixels;
    return image;
  }
  unknown_format(bytes, name);
}

GreyImage to_grey(const ColorImage& image) {
  if (image.channels == 1) {
    GreyImage grey(image.width, image.height);
    grey.pixels = image.pixels;
    return grey;
  }
  GreyImage grey(image.width, image.height);
  for (size_t i = 0; i < grey.pixels.size(); ++i) {
    const float* p = &image.pixels[i * 3];
    grey.pixels[i] = static_cast<float>(0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2]);
  }
  return grey;
}

GreyImage channel_of(const ColorImage& image, int channel) {
  if (channel < 0 || channel >= image.channels) {
    throw std::invalid_argument("channel " + std::to_string(channel) + " of an image of " +
                                std::to_string(image.channels));
  }
  GreyImage plane(image.width, image.height);
  for (size_t i = 0; i < plane.pixels.size(); ++i) plane.pixels[i] = image.pixels[i * image.channels + channel];
  return plane;
}

namespace {
// The file's bytes, after the checks every image reader makes.
std::string image_bytes(const std::string& path) {
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
  return file.read(0, file.size());
}
}  // namespace

GreyImage read_image(const std::string& path) { return decode_image(image_bytes(path), path); }

ColorImage read_color_image(const std::string& path) { return decode_color_image(image_bytes(path), path); }

void write_pgm(const std::string& path, const GreyImage& image) { write_file_atomic(path, encode_pgm(image)); }

}  // namespace nnlab
