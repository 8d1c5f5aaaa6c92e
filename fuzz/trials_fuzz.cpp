// Resuming a search reads trials.jsonl, a file a kill may have torn: any bytes must
// give trials or an exception, never a crash.

#include <exception>
#include <stdexcept>

#include "fuzz_file.h"
#include "nnlab/search/trial.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const nnlab::SearchSpace space = nnlab::SearchSpace::parse("lr=1e-4..1e-1:log,optimizer={sgd,adam}");
  static const nlohmann::json header = {{"space", space.str()}, {"seed", 1}};
  const nnlab::fuzz::FuzzFile file(data, size);
  try {
    for (const nnlab::TrialRecord& trial : nnlab::load_trials(file.path(), header, space)) {
      NNLAB_FUZZ_REQUIRE(trial.plan.point.size() == space.size());
      trial.to_json(space);
    }
  } catch (const std::exception&) {
  }
  return 0;
}
