// The learning-rate schedule grammar on any text; a schedule that parses prints as
// text that parses back to the same schedule (the same rate at every step tried).

#include <cmath>
#include <cstring>
#include <exception>
#include <stdexcept>

#include "fuzz_file.h"
#include "nnlab/optim/schedule.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The first 8 bytes give the run's length in steps, as the trainer passes it.
  if (size < 8) return 0;
  int64_t total_steps = 0;
  std::memcpy(&total_steps, data, 8);
  const std::string text = nnlab::fuzz::text_of(data + 8, size - 8);
  std::unique_ptr<nnlab::LearningRateSchedule> schedule;
  try {
    schedule = nnlab::parse_schedule(text, 0.1, total_steps);
  } catch (const std::invalid_argument&) {
    return 0;
  }
  const auto back = nnlab::parse_schedule(schedule->str(), 0.1, total_steps);
  NNLAB_FUZZ_REQUIRE(back->str() == schedule->str());
  for (const int64_t step :
       {int64_t{0}, int64_t{1}, int64_t{999}, total_steps > 0 ? total_steps - 1 : 0, int64_t{1} << 40}) {
    const double a = schedule->lr(step), b = back->lr(step);
    NNLAB_FUZZ_REQUIRE(a == b || (std::isnan(a) && std::isnan(b)));
    NNLAB_FUZZ_REQUIRE(!(a < 0));
  }
  return 0;
}
