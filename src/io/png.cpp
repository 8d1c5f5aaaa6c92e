#include "nnlab/io/png.h"

#include <png.h>

#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <functional>
#include <stdexcept>

namespace nnlab {

namespace {

// What libpng's callbacks read and write: plain data, nothing with a destructor, so that
// libpng's longjmp out of them skips no C++ clean-up.
struct PngSource {
  const unsigned char* bytes = nullptr;
  size_t size = 0;
  size_t offset = 0;
  char message[256] = "";
};

void on_error(png_structp png, png_const_charp message) {
  auto* source = static_cast<PngSource*>(png_get_error_ptr(png));
  std::snprintf(source->message, sizeof source->message, "%s", message);
  png_longjmp(png, 1);
}

// Warnings (a questionable colour profile, an unknown chunk) do not stop the reading,
// and a command-line tool should not print them.
void on_warning(png_structp /*png*/, png_const_charp /*message*/) {}

void on_read(png_structp png, png_bytep out, size_t length) {
  auto* source = static_cast<PngSource*>(png_get_io_ptr(png));
  if (length > source->size - source->offset) png_error(png, "the file ends early (truncated)");
  std::memcpy(out, source->bytes + source->offset, length);
  source->offset += length;
}

// The decoded layout after libpng's expansions: 1 (grey), 2 (grey, alpha), 3 (RGB) or
// 4 (RGBA) channels of 8 or 16 bits.
struct PngLayout {
  uint32_t width = 0;
  uint32_t height = 0;
  int channels = 0;
  int bit_depth = 0;
  size_t row_bytes = 0;
};

// Reads the header and sets the expansions. Returns false on a libpng error, whose
// message is then in the error pointer's PngSource. Only trivially destructible values
// live in this frame, so returning here through longjmp is well defined.
bool read_layout(png_structp png, png_infop info, PngLayout* layout) noexcept {
  if (setjmp(png_jmpbuf(png))) return false;
  png_read_info(png, info);
  // Palette → RGB, grey below 8 bits → 8 bits, a tRNS chunk → an alpha channel.
  png_set_expand(png);
  png_set_interlace_handling(png);
  png_read_update_info(png, info);
  layout->width = png_get_image_width(png, info);
  layout->height = png_get_image_height(png, info);
  layout->channels = png_get_channels(png, info);
  layout->bit_depth = png_get_bit_depth(png, info);
  layout->row_bytes = png_get_rowbytes(png, info);
  return true;
}

// Decodes every row into rows[0..height); false on a libpng error, as read_layout.
bool read_rows(png_structp png, png_bytepp rows) noexcept {
  if (setjmp(png_jmpbuf(png))) return false;
  png_read_image(png, rows);
  return true;
}

// Frees libpng's structures however decoding ends.
class PngReadGuard {
 public:
  explicit PngReadGuard(PngSource& source) {
    png_ = png_create_read_struct(PNG_LIBPNG_VER_STRING, &source, on_error, on_warning);
    if (png_ != nullptr) info_ = png_create_info_struct(png_);
  }
  ~PngReadGuard() {
    if (png_ != nullptr) png_destroy_read_struct(&png_, info_ != nullptr ? &info_ : nullptr, nullptr);
  }
  PngReadGuard(const PngReadGuard&) = delete;
  PngReadGuard& operator=(const PngReadGuard&) = delete;

  png_structp png() const { return png_; }
  png_infop info() const { return info_; }

 private:
  png_structp png_ = nullptr;
  png_infop info_ = nullptr;
};

std::runtime_error png_error_for(const std::string& name, const std::string& problem) {
  return std::runtime_error("PNG image " + name + ": " + problem);
}

}  // namespace

bool looks_like_png(std::string_view bytes) {
  return bytes.size() >= 8 && png_sig_cmp(reinterpret_cast<png_const_bytep>(bytes.data()), 0, 8) == 0;
}

namespace {
// Decodes the PNG and calls pixel(row, column, samples, channels) for every pixel, with the
// samples in [0, 1] as stored (1 grey, 2 grey + alpha, 3 RGB, 4 RGBA).
template <typename Pixel>
void decode_samples(std::string_view bytes, const std::string& name, int64_t& width, int64_t& height, int& channels,
                    const std::function<void()>& sized, Pixel&& pixel) {
  if (!looks_like_png(bytes)) throw png_error_for(name, "does not start with the PNG signature");
  PngSource source;
  source.bytes = reinterpret_cast<const unsigned char*>(bytes.data());
  source.size = bytes.size();
  PngReadGuard guard(source);
  if (guard.png() == nullptr || guard.info() == nullptr) throw png_error_for(name, "libpng could not start");
  png_set_read_fn(guard.png(), &source, on_read);

  PngLayout layout;
  if (!read_layout(guard.png(), guard.info(), &layout)) throw png_error_for(name, source.message);
  width = layout.width;
  height = layout.height;
  if (width * height > kMaxImagePixels) {
    throw png_error_for(name, std::to_string(width) + "×" + std::to_string(height) + " is larger than " +
                                  std::to_string(kMaxImagePixels) + " pixels");
  }
  if (layout.channels < 1 || layout.channels > 4 || (layout.bit_depth != 8 && layout.bit_depth != 16)) {
    throw png_error_for(name, "unexpected layout after expansion: " + std::to_string(layout.channels) +
                                  " channels of " + std::to_string(layout.bit_depth) + " bits");
  }

  std::vector<unsigned char> data(layout.row_bytes * static_cast<size_t>(height));
  std::vector<png_bytep> rows(static_cast<size_t>(height));
  for (int64_t r = 0; r < height; ++r) rows[static_cast<size_t>(r)] = data.data() + r * layout.row_bytes;
  if (!read_rows(guard.png(), rows.data())) throw png_error_for(name, source.message);
  channels = layout.channels;
  sized();
  const bool wide = layout.bit_depth == 16;
  const double full = wide ? 65535.0 : 255.0;
  for (int64_t r = 0; r < height; ++r) {
    const unsigned char* row = rows[static_cast<size_t>(r)];
    for (int64_t c = 0; c < width; ++c) {
      double sample[4];
      for (int k = 0; k < channels; ++k) {
        const int64_t at = c * channels + k;
        const int value = wide ? (row[2 * at] << 8) | row[2 * at + 1] : row[at];
        sample[k] = value / full;
      }
      pixel(r, c, sample);
    }
  }
}
}  // namespace

GreyImage decode_png(std::string_view bytes, const std::string& name) {
  int64_t width = 0, height = 0;
  int channels = 0;
  GreyImage image;
  decode_samples(
      bytes, name, width, height, channels, [&] { image = GreyImage(width, height); },
      [&](int64_t r, int64_t c, const double* sample) {
        const double grey = channels <= 2 ? sample[0] : 0.299 * sample[0] + 0.587 * sample[1] + 0.114 * sample[2];
        const double alpha = channels == 2 ? sample[1] : channels == 4 ? sample[3] : 1.0;
        image.at(r, c) = static_cast<float>(alpha * grey + (1.0 - alpha));
      });
  return image;
}

ColorImage decode_png_color(std::string_view bytes, const std::string& name) {
  int64_t width = 0, height = 0;
  int channels = 0;
  ColorImage image;
  decode_samples(
      bytes, name, width, height, channels, [&] { image = ColorImage(width, height, channels <= 2 ? 1 : 3); },
      [&](int64_t r, int64_t c, const double* sample) {
        const double alpha = channels == 2 ? sample[1] : channels == 4 ? sample[3] : 1.0;
        const int colours = channels <= 2 ? 1 : 3;
        float* out = &image.pixels[static_cast<size_t>((r * width + c) * colours)];
        for (int k = 0; k < colours; ++k) out[k] = static_cast<float>(alpha * sample[k] + (1.0 - alpha));
      });
  return image;
}

}  // namespace nnlab
