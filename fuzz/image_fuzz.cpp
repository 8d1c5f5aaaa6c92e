// PNG (libpng), JPEG (libjpeg) and PGM decoding on any bytes, in grey and in colour, then the
// MNIST preparation and the resizing predict applies: errors are exceptions naming the image,
// never crashes.

#include <exception>
#include <stdexcept>
#include <vector>

#include "fuzz_file.h"
#include "nnlab/data/digit_image.h"
#include "nnlab/data/image_folder.h"
#include "nnlab/io/image_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const nnlab::GreyImage image = nnlab::decode_image(nnlab::fuzz::text_of(data, size), "fuzz.png");
    NNLAB_FUZZ_REQUIRE(image.width > 0 && image.height > 0);
    NNLAB_FUZZ_REQUIRE(static_cast<int64_t>(image.pixels.size()) == image.width * image.height);
    if (image.pixels.size() <= 1'000'000) nnlab::mnist_digit(image);
  } catch (const std::exception&) {
  }
  try {
    const nnlab::ColorImage image = nnlab::decode_color_image(nnlab::fuzz::text_of(data, size), "fuzz.png");
    NNLAB_FUZZ_REQUIRE(image.channels == 1 || image.channels == 3);
    NNLAB_FUZZ_REQUIRE(static_cast<int64_t>(image.pixels.size()) == image.width * image.height * image.channels);
    if (image.pixels.size() <= 1'000'000) {
      std::vector<float> sample(3 * 8 * 8);
      nnlab::image_sample(image, 3, 8, 8, sample.data());
    }
  } catch (const std::exception&) {
  }
  return 0;
}
