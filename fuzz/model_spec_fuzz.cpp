// The model-spec grammar (docs/model-spec.md) on any text, built for one of a few
// input shapes and run forward once: bad specs must be std::exceptions, never
// crashes, overflows or huge allocations. The first byte picks the input shape.

#include <cstdio>
#include <exception>
#include <stdexcept>

#include "fuzz_file.h"
#include "nnlab/model/model_spec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  static const nnlab::Shape shapes[] = {nnlab::Shape{1, 8, 8}, nnlab::Shape{12}, nnlab::Shape{3, 5, 7},
                                        nnlab::Shape{1, 28, 28}};
  const nnlab::Shape& input = shapes[data[0] % 4];
  const std::string spec = nnlab::fuzz::text_of(data + 1, size - 1);
  try {
    nnlab::Sequential<float> model = nnlab::build_model<float>(spec, input);
    // Rebuilt from its own spec, as a saved model is: the same model.
    nnlab::Sequential<float> again = nnlab::build_model<float>(model.spec(), input);
    NNLAB_FUZZ_REQUIRE(again.spec() == model.spec());
    NNLAB_FUZZ_REQUIRE(again.output_shape() == model.output_shape());
    if (model.parameter_count() > 1'000'000) return 0;  // big is not wrong; it is slow
    nnlab::Tensor<float> x(input.with_batch(2));
    for (int64_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i % 7) - 3.0f;
    const nnlab::Tensor<float>& y = model.forward(x);
    NNLAB_FUZZ_REQUIRE(y.shape() == model.output_shape().with_batch(2));
  } catch (const std::exception&) {
  }
  return 0;
}
