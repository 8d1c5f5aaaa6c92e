#pragma once
// JPEG files for the tests, written with libjpeg's own compressor:
//
//   std::string bytes = jpeg_bytes(width, height, 3, rgb_samples);   // quality 95

#include <cstddef>
#include <cstdio>
// clang-format off
#include <jpeglib.h>
// clang-format on

#include <cstdint>
#include <string>
#include <vector>

namespace nnlab::test {

inline std::string jpeg_bytes(int width, int height, int channels, const std::vector<uint8_t>& samples,
                              int quality = 95) {
  jpeg_compress_struct info;
  jpeg_error_mgr errors;
  info.err = jpeg_std_error(&errors);
  jpeg_create_compress(&info);
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&info, &buffer, &size);
  info.image_width = static_cast<JDIMENSION>(width);
  info.image_height = static_cast<JDIMENSION>(height);
  info.input_components = channels;
  info.in_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults(&info);
  jpeg_set_quality(&info, quality, TRUE);
  jpeg_start_compress(&info, TRUE);
  std::vector<uint8_t> row(static_cast<size_t>(width * channels));
  while (info.next_scanline < info.image_height) {
    const size_t at = static_cast<size_t>(info.next_scanline) * row.size();
    std::copy(samples.begin() + static_cast<std::ptrdiff_t>(at),
              samples.begin() + static_cast<std::ptrdiff_t>(at + row.size()), row.begin());
    JSAMPROW pointer = row.data();
    jpeg_write_scanlines(&info, &pointer, 1);
  }
  jpeg_finish_compress(&info);
  std::string bytes(reinterpret_cast<const char*>(buffer), size);
  jpeg_destroy_compress(&info);
  std::free(buffer);
  return bytes;
}

}  // namespace nnlab::test
