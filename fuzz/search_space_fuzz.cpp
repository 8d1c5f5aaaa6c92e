// The search-space grammar on any text; a space that parses prints as text that
// parses back to exactly the same space, and samples inside its ranges.

#include <cmath>
#include <exception>
#include <stdexcept>

#include "fuzz_file.h"
#include "nnlab/search/search_space.h"
#include "nnlab/search/training_trial.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  nnlab::SearchSpace space;
  try {
    space = nnlab::SearchSpace::parse(nnlab::fuzz::text_of(data, size));
  } catch (const std::invalid_argument&) {
    return 0;
  }
  const nnlab::SearchSpace back = nnlab::SearchSpace::parse(space.str());
  NNLAB_FUZZ_REQUIRE(back == space);
  NNLAB_FUZZ_REQUIRE(back.str() == space.str());
  nnlab::Rng rng(size);
  for (int k = 0; k < 4; ++k) {
    const nnlab::Point point = space.sample(rng);
    for (size_t i = 0; i < space.size(); ++i) {
      const nnlab::Dimension& d = space.dimensions()[i];
      if (d.is_choice()) {
        NNLAB_FUZZ_REQUIRE(point[i] >= 0 && point[i] < static_cast<double>(d.choices.size()));
      } else {
        NNLAB_FUZZ_REQUIRE(point[i] >= d.low && point[i] <= d.high);
      }
    }
    NNLAB_FUZZ_REQUIRE(space.from_unit(space.to_unit(point)).size() == space.size());
    space.describe(point);
  }
  try {
    nnlab::check_searchable(space, {});
    nnlab::Rng settings_rng(1);
    nnlab::with_point({}, space, space.sample(settings_rng));
  } catch (const std::invalid_argument&) {
  }
  return 0;
}
