#include "nnlab/io/jpeg.h"

// jpeglib.h needs size_t and FILE declared before it.
#include <cstddef>
#include <cstdio>
// clang-format off
#include <jpeglib.h>
// clang-format on

#include <csetjmp>
#include <memory>
#include <stdexcept>
#include <vector>

namespace nnlab {

namespace {

// libjpeg's error manager, with where to jump back to and the message: plain data only.
struct JpegErrors {
  jpeg_error_mgr manager;
  std::jmp_buf back;
  char message[JMSG_LENGTH_MAX] = "";
};

void on_error_exit(j_common_ptr info) {
  auto* errors = reinterpret_cast<JpegErrors*>(info->err);
  (*info->err->format_message)(info, errors->message);
  std::longjmp(errors->back, 1);
}
// Warnings (corrupt data that libjpeg can skip) do not stop decoding; a tool does not print them.
void on_message(j_common_ptr /*info*/) {}

struct JpegLayout {
  int64_t width = 0, height = 0;
  int channels = 0;
};

// Reads the header and starts decompression (grey stays grey, everything else becomes RGB).
// False on a libjpeg error, whose message is then in errors.
bool start(jpeg_decompress_struct* info, JpegErrors* errors, const unsigned char* bytes, size_t size,
           JpegLayout* layout, int64_t max_pixels) noexcept {
  if (setjmp(errors->back)) return false;
  jpeg_mem_src(info, bytes, static_cast<unsigned long>(size));
  jpeg_read_header(info, TRUE);
  info->out_color_space = info->jpeg_color_space == JCS_GRAYSCALE ? JCS_GRAYSCALE : JCS_RGB;
  layout->width = info->image_width;
  layout->height = info->image_height;
  if (layout->width * layout->height > max_pixels) return true;  // refused by the caller, nothing decoded
  jpeg_start_decompress(info);
  layout->channels = info->output_components;
  return true;
}

// Decodes every scanline into `out` (height × width × channels bytes).
bool read_lines(jpeg_decompress_struct* info, JpegErrors* errors, unsigned char* out, size_t row_bytes) noexcept {
  if (setjmp(errors->back)) return false;
  while (info->output_scanline < info->output_height) {
    JSAMPROW row = out + info->output_scanline * row_bytes;
    jpeg_read_scanlines(info, &row, 1);
  }
  jpeg_finish_decompress(info);
  return true;
}

std::runtime_error jpeg_error(const std::string& name, const std::string& problem) {
  return std::runtime_error("JPEG image " + name + ": " + problem);
}

}  // namespace

bool looks_like_jpeg(std::string_view bytes) { return bytes.size() >= 3 && bytes.substr(0, 3) == "\xFF\xD8\xFF"; }

ColorImage decode_jpeg(std::string_view bytes, const std::string& name) {
  if (!looks_like_jpeg(bytes)) throw jpeg_error(name, "does not start with a JPEG marker");
  JpegErrors errors;
  jpeg_decompress_struct info;
  info.err = jpeg_std_error(&errors.manager);
  errors.manager.error_exit = on_error_exit;
  errors.manager.output_message = on_message;
  jpeg_create_decompress(&info);
  const std::unique_ptr<jpeg_decompress_struct, void (*)(jpeg_decompress_struct*)> guard(&info,
                                                                                         jpeg_destroy_decompress);
  JpegLayout layout;
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  if (!start(&info, &errors, data, bytes.size(), &layout, kMaxImagePixels)) throw jpeg_error(name, errors.message);
  if (layout.width * layout.height > kMaxImagePixels) {
    throw jpeg_error(name, std::to_string(layout.width) + "×" + std::to_string(layout.height) + " is larger than " +
                               std::to_string(kMaxImagePixels) + " pixels");
  }
  if (layout.channels != 1 && layout.channels != 3) {
    throw jpeg_error(name, "unexpected " + std::to_string(layout.channels) + " channels after decoding");
  }
  const auto row_bytes = static_cast<size_t>(layout.width * layout.channels);
  std::vector<unsigned char> pixels(row_bytes * static_cast<size_t>(layout.height));
  if (!read_lines(&info, &errors, pixels.data(), row_bytes)) throw jpeg_error(name, errors.message);
  ColorImage image(layout.width, layout.height, layout.channels);
  for (size_t i = 0; i < pixels.size(); ++i) image.pixels[i] = static_cast<float>(pixels[i] / 255.0);
  return image;
}

}  // namespace nnlab
