// Loading a model file (safetensors + nnlab metadata: the spec is rebuilt, the
// tensors checked against it), then the finite check that predict and eval run:
// errors are exceptions, never crashes.

#include <exception>
#include <stdexcept>

#include "fuzz_file.h"
#include "nnlab/io/finite_check.h"
#include "nnlab/io/model_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const nnlab::fuzz::FuzzFile file(data, size);
  try {
    nnlab::LoadedModel loaded = nnlab::load_model(file.path());
    nnlab::check_finite_tensors(loaded.model, file.path());
  } catch (const std::exception&) {
  }
  return 0;
}
