// The initialiser and augmentation grammars on any text; what parses prints as text
// that parses back the same, and fills a weight tensor with finite values.

#include <cmath>
#include <exception>
#include <stdexcept>

#include "fuzz_file.h"
#include "nnlab/data/augmentation.h"
#include "nnlab/init/initializer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text = nnlab::fuzz::text_of(data, size);
  try {
    const nnlab::Initializer init = nnlab::Initializer::parse(text);
    NNLAB_FUZZ_REQUIRE(nnlab::Initializer::parse(init.str()) == init);
    nnlab::Tensor<float> weight(nnlab::Shape{3, 4});
    nnlab::Rng rng(1);
    init.fill(weight, 4, 3, rng);
    for (const float w : weight) NNLAB_FUZZ_REQUIRE(std::isfinite(w));
  } catch (const std::invalid_argument&) {
  }
  try {
    const nnlab::Augmentation augment = nnlab::Augmentation::parse(text);
    NNLAB_FUZZ_REQUIRE(nnlab::Augmentation::parse(augment.str()).str() == augment.str());
  } catch (const std::invalid_argument&) {
  }
  return 0;
}
