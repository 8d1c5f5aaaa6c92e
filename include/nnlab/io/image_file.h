#pragma once
// Images from files, as grey levels (a photo or drawing of one's own digit) or in colour:
//
//   GreyImage image = read_image("seven.png");   // PNG, JPEG or PGM, any size, colour or grey
//   float v = image.at(row, col);                // 0 black … 1 white
//
// Colour becomes luminance (Y = 0.299 R + 0.587 G + 0.114 B, ITU-R BT.601, on the stored
// values as they are); a pixel with alpha a is composited onto white: a·Y + (1 − a)·1.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nnlab {

struct GreyImage {
  int64_t width = 0;
  int64_t height = 0;
  std::vector<float> pixels{};  // height × width, row-major; 0 black, 1 white

  GreyImage() = default;
  GreyImage(int64_t width_, int64_t height_, float fill = 0.0f)
      : width(width_), height(height_), pixels(static_cast<size_t>(width_ * height_), fill) {}

  float& at(int64_t row, int64_t col) { return pixels[static_cast<size_t>(row * width + col)]; }
  float at(int64_t row, int64_t col) const { return pixels[static_cast<size_t>(row * width + col)]; }
};

// An image in colour: channels 1 (grey) or 3 (RGB), interleaved (row-major, then channel),
// each value in [0, 1]; transparency already laid over white.
struct ColorImage {
  int64_t width = 0;
  int64_t height = 0;
  int channels = 1;
  std::vector<float> pixels{};

  ColorImage() = default;
  ColorImage(int64_t width_, int64_t height_, int channels_)
      : width(width_),
        height(height_),
        channels(channels_),
        pixels(static_cast<size_t>(width_ * height_ * channels_)) {}
};

// Luminance, as read_image gives it (Y = 0.299 R + 0.587 G + 0.114 B).
GreyImage to_grey(const ColorImage& image);
// One channel of an image as a grey image.
GreyImage channel_of(const ColorImage& image, int channel);

// Reads a PNG, a PGM or a JPEG in colour (1 or 3 channels); errors as read_image's.
ColorImage read_color_image(const std::string& path);
ColorImage decode_color_image(std::string_view bytes, const std::string& name);

// Reads a PNG (any colour type and bit depth, interlaced or not), a JPEG or a PGM (P2 ASCII or P5
// binary, 8 or 16 bits), told apart by their first bytes, not by the file name.
// Throws std::runtime_error naming the path and the problem: a missing file, a file of
// another format (GIF, BMP, ... are named), a damaged or truncated PNG, JPEG or PGM, an
// image of more than kMaxImagePixels.
GreyImage read_image(const std::string& path);

// The same from the file's bytes; `name` is used in error messages.
GreyImage decode_image(std::string_view bytes, const std::string& name);

// Writes an 8-bit binary PGM (P5) atomically: each value clamped to [0, 1] and rounded to
// 0..255. Any image viewer shows it.
void write_pgm(const std::string& path, const GreyImage& image);

// The largest image read_image accepts (width × height): a 50-megapixel photo.
inline constexpr int64_t kMaxImagePixels = 50'000'000;

}  // namespace nnlab
