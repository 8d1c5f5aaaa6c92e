#pragma once
// PNG files built byte by byte for the tests, so that every colour type, bit depth and
// kind of damage can be made on purpose (libpng's own writer refuses most of them):
//
//   PngBuilder png{.width = 2, .height = 1, .bit_depth = 8, .colour_type = kPngRgb};
//   png.rows = {{255, 0, 0, 0, 0, 255}};   // one row: red, blue
//   std::string bytes = png.bytes();
//
// Rows hold the packed samples without PNG's filter byte (filter 0, "none", is added);
// 16-bit samples are two bytes, most significant first.

#include <zlib.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace nnlab::test {

inline constexpr int kPngGrey = 0, kPngRgb = 2, kPngPalette = 3, kPngGreyAlpha = 4, kPngRgba = 6;

struct PngBuilder {
  uint32_t width = 1;
  uint32_t height = 1;
  int bit_depth = 8;
  int colour_type = kPngGrey;
  bool interlaced = false;  // Adam7; only right for images whose pixels all fall in its first pass (1×1)
  std::vector<std::vector<uint8_t>> rows{};
  std::string palette{};       // PLTE: r, g, b per entry
  std::string transparency{};  // tRNS

  static void put32(std::string& out, uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xFF);
  }

  static std::string chunk(const std::string& type, const std::string& data) {
    std::string out;
    put32(out, static_cast<uint32_t>(data.size()));
    const std::string body = type + data;
    out += body;
    put32(out,
          static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size()))));
    return out;
  }

  // The zlib stream of the filtered rows (what IDAT holds).
  std::string image_data() const {
    std::string raw;
    for (const auto& row : rows) {
      raw += '\0';
      raw.append(row.begin(), row.end());
    }
    uLongf size = compressBound(raw.size());
    std::string packed(size, '\0');
    if (compress(reinterpret_cast<Bytef*>(packed.data()), &size, reinterpret_cast<const Bytef*>(raw.data()),
                 raw.size()) != Z_OK) {
      throw std::runtime_error("zlib compress failed");
    }
    packed.resize(size);
    return packed;
  }

  std::string bytes() const {
    std::string header;
    put32(header, width);
    put32(header, height);
    header += static_cast<char>(bit_depth);
    header += static_cast<char>(colour_type);
    header += '\0';  // compression: deflate
    header += '\0';  // filter method 0
    header += static_cast<char>(interlaced ? 1 : 0);
    std::string out("\x89PNG\r\n\x1a\n", 8);
    out += chunk("IHDR", header);
    if (!palette.empty()) out += chunk("PLTE", palette);
    if (!transparency.empty()) out += chunk("tRNS", transparency);
    out += chunk("IDAT", image_data());
    out += chunk("IEND", "");
    return out;
  }
};

// An 8-bit grey (or, with alpha, grey + alpha / RGBA) PNG from values 0..255, row-major.
inline std::string png_grey8(uint32_t width, uint32_t height, const std::vector<uint8_t>& values) {
  PngBuilder png{.width = width, .height = height};
  for (uint32_t r = 0; r < height; ++r)
    png.rows.emplace_back(values.begin() + r * width, values.begin() + (r + 1) * width);
  return png.bytes();
}

}  // namespace nnlab::test
