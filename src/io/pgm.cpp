#include "nnlab/io/pgm.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <stdexcept>

namespace nnlab {

namespace {

// Reads the header fields and, in P2, the values: unsigned decimal numbers between
// whitespace and comments.
class PgmScanner {
 public:
  PgmScanner(std::string_view bytes, const std::string& name) : bytes_(bytes), name_(name) {}

  // The next number; `what` names it in errors ("width", "the value at row 3, column 4").
  // Returns -1 at the end of the file.
  int64_t number(const std::string& what) {
    skip_space_and_comments();
    if (at_ == bytes_.size()) return -1;
    if (!std::isdigit(static_cast<unsigned char>(bytes_[at_]))) {
      throw error("expected " + what + " as a number, found '" + printable(bytes_[at_]) + "'");
    }
    int64_t value = 0;
    while (at_ < bytes_.size() && std::isdigit(static_cast<unsigned char>(bytes_[at_]))) {
      value = value * 10 + (bytes_[at_++] - '0');
      if (value > 1'000'000'000) throw error(what + " is too large");
    }
    if (at_ < bytes_.size() && !is_space(bytes_[at_]) && bytes_[at_] != '#') {
      throw error("expected " + what + " as a number, found '" + printable(bytes_[at_]) + "' after its digits");
    }
    return value;
  }

  // A header field that must be there.
  int64_t field(const std::string& what) {
    const int64_t value = number(what);
    if (value < 0) throw error("the header ends before its " + what + " (truncated)");
    return value;
  }

  size_t position() const { return at_; }
  void skip(size_t count) { at_ += count; }
  std::runtime_error error(const std::string& problem) const {
    return std::runtime_error("PGM image " + name_ + ": " + problem);
  }

  static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

 private:
  void skip_space_and_comments() {
    while (at_ < bytes_.size()) {
      if (is_space(bytes_[at_])) {
        ++at_;
      } else if (bytes_[at_] == '#') {
        while (at_ < bytes_.size() && bytes_[at_] != '\n' && bytes_[at_] != '\r') ++at_;
      } else {
        return;
      }
    }
  }
  static std::string printable(char c) {
    if (std::isprint(static_cast<unsigned char>(c))) return std::string(1, c);
    char hex[8];
    std::snprintf(hex, sizeof hex, "\\x%02X", static_cast<unsigned char>(c));
    return hex;
  }

  std::string_view bytes_;
  const std::string& name_;
  size_t at_ = 0;
};

std::string where(int64_t index, int64_t width) {
  return "row " + std::to_string(index / width) + ", column " + std::to_string(index % width);
}

}  // namespace

bool looks_like_pgm(std::string_view bytes) {
  return bytes.size() >= 2 && bytes[0] == 'P' && (bytes[1] == '2' || bytes[1] == '5');
}

GreyImage decode_pgm(std::string_view bytes, const std::string& name) {
  PgmScanner scan(bytes, name);
  if (!looks_like_pgm(bytes)) throw scan.error("does not start with P2 or P5");
  const bool binary = bytes[1] == '5';
  scan.skip(2);
  const int64_t width = scan.field("width");
  const int64_t height = scan.field("height");
  const int64_t maxval = scan.field("maxval");
  if (width < 1 || height < 1) {
    throw scan.error("width and height must be at least 1, got " + std::to_string(width) + "×" +
                     std::to_string(height));
  }
  if (width * height > kMaxImagePixels) {
    throw scan.error(std::to_string(width) + "×" + std::to_string(height) + " is larger than " +
                     std::to_string(kMaxImagePixels) + " pixels");
  }
  if (maxval < 1 || maxval > 65535) throw scan.error("maxval must be 1..65535, got " + std::to_string(maxval));

  const int64_t count = width * height;
  // What the header promises is checked against what the file can hold before the
  // image is allocated: a 20-byte file claiming 50 megapixels costs nothing.
  const size_t data_start = scan.position() + (binary ? 1 : 0);
  const int64_t left = data_start < bytes.size() ? static_cast<int64_t>(bytes.size() - data_start) : 0;
  if (!binary && left < 2 * count - 1) {
    throw scan.error("truncated: " + std::to_string(width) + "×" + std::to_string(height) + " pixels need " +
                     std::to_string(count) + " values, the file has " + std::to_string(left) +
                     " bytes for them (a value and a space take at least two)");
  }
  if (binary && left < count * (maxval < 256 ? 1 : 2)) {
    // The detailed message below says the same once the separator is checked.
    if (scan.position() >= bytes.size()) throw scan.error("no pixel data after the header (truncated)");
    throw scan.error("truncated: " + std::to_string(width) + "×" + std::to_string(height) + " pixels need " +
                     std::to_string(count * (maxval < 256 ? 1 : 2)) + " bytes of data, the file has " +
                     std::to_string(left));
  }
  GreyImage image(width, height);
  const double scale = 1.0 / static_cast<double>(maxval);
  auto store = [&](int64_t index, int64_t value) {
    if (value > maxval) {
      throw scan.error("value " + std::to_string(value) + " at " + where(index, width) + " is above maxval " +
                       std::to_string(maxval));
    }
    image.pixels[static_cast<size_t>(index)] = static_cast<float>(static_cast<double>(value) * scale);
  };

  if (binary) {
    // Exactly one whitespace byte separates maxval from the values, which may themselves
    // look like whitespace.
    if (scan.position() >= bytes.size()) throw scan.error("no pixel data after the header (truncated)");
    if (!PgmScanner::is_space(bytes[scan.position()])) throw scan.error("no whitespace after maxval");
    scan.skip(1);
    const int64_t bytes_per_value = maxval < 256 ? 1 : 2;
    const auto* data = reinterpret_cast<const unsigned char*>(bytes.data()) + scan.position();
    const int64_t available = static_cast<int64_t>(bytes.size() - scan.position());
    if (available < count * bytes_per_value) {
      throw scan.error("truncated: " + std::to_string(width) + "×" + std::to_string(height) + " pixels need " +
                       std::to_string(count * bytes_per_value) + " bytes of data, the file has " +
                       std::to_string(available));
    }
    for (int64_t i = 0; i < count; ++i) {
      const int64_t value = bytes_per_value == 1 ? data[i] : (data[2 * i] << 8) | data[2 * i + 1];
      store(i, value);
    }
  } else {
    for (int64_t i = 0; i < count; ++i) {
      const int64_t value = scan.number("the value at " + where(i, width));
      if (value < 0) {
        throw scan.error("truncated: " + std::to_string(width) + "×" + std::to_string(height) + " pixels need " +
                         std::to_string(count) + " values, the file has " + std::to_string(i));
      }
      store(i, value);
    }
  }
  return image;
}

std::string encode_pgm(const GreyImage& image) {
  std::string bytes = "P5\n" + std::to_string(image.width) + " " + std::to_string(image.height) + "\n255\n";
  bytes.reserve(bytes.size() + image.pixels.size());
  for (const float v : image.pixels) {
    const double clamped = std::isfinite(v) ? std::clamp(static_cast<double>(v), 0.0, 1.0) : 0.0;
    bytes += static_cast<char>(static_cast<uint8_t>(std::lround(clamped * 255.0)));
  }
  return bytes;
}

}  // namespace nnlab
