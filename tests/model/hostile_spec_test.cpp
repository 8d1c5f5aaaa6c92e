// Specs from the command line and from model files are untrusted: sizes that
// overflow, or that would need more memory than the machine has, are refused
// with a message before any layer allocates. The first three are inputs a
// fuzzer found (a heap overflow and two unchecked pooling sizes).

#include <gtest/gtest.h>

#include "nnlab/io/model_file.h"
#include "nnlab/io/safetensors.h"
#include "nnlab/model/model_spec.h"
#include "temp_dir.h"

namespace nnlab::test {

namespace {
std::string refusal(const std::string& spec, const Shape& input = Shape{1, 28, 28}) {
  try {
    build_model<float>(spec, input);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(built)";
}
}  // namespace

TEST(HostileSpec, ConvPaddingThatWrapsTheOutputSize) {
  const std::string why = refusal("conv:1x3x3:pad=2305843009213693952,gap,linear:10");
  EXPECT_NE(why.find("bad layer 'conv:1x3x3:pad=2305843009213693952'"), std::string::npos) << why;
  EXPECT_NE(why.find("does not fit in 64 bits"), std::string::npos) << why;
}

TEST(HostileSpec, PoolingSizesThatOverflow) {
  EXPECT_NE(refusal("maxpool:15:pad=9223372036854775807").find("at most"), std::string::npos);
  EXPECT_NE(refusal("avgpool:1:stride=42949672960").find("at most"), std::string::npos);
  EXPECT_NE(refusal("maxpool:3:pad=2").find("more than half the kernel"), std::string::npos);
  // Still fine: the largest legal padding.
  EXPECT_EQ(refusal("maxpool:3:pad=1,flatten,linear:2"), "(built)");
}

TEST(HostileSpec, ConvPaddingWhoseOutputWouldNotFitInMemory) {
  const std::string why = refusal("conv:1x3x3:pad=100000000");
  EXPECT_NE(why.find("values per sample"), std::string::npos) << why;
  EXPECT_NE(why.find("of memory"), std::string::npos) << why;
}

TEST(HostileSpec, HugeLayersAreRefusedBeforeTheyAllocate) {
  // 784 × 999,999,999 weights: 3 TB, on any machine.
  const std::string why = refusal("linear:999999999");
  EXPECT_NE(why.find("bad layer 'linear:999999999'"), std::string::npos) << why;
  EXPECT_NE(why.find("values, more than the"), std::string::npos) << why;
  // A kernel larger than the image is refused before its weight (4 GB here) is allocated.
  EXPECT_NE(refusal("conv:100000x100x100").find("smaller than its kernel 100x100"), std::string::npos);
  // An explicit limit, counted over the whole model (parameters and BatchNorm's buffers).
  const BuildLimits limits{(784 * 10 + 10) + (10 * 3 + 3), "a test's limit"};
  EXPECT_NO_THROW(build_model<float>("linear:10,relu,linear:3", Shape{784}, limits));
  try {
    build_model<float>("linear:10,relu,linear:4", Shape{784}, limits);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("holds 44 values, more than the 33 allowed (a test's limit)"),
              std::string::npos)
        << e.what();
  }
}

TEST(HostileSpec, InputShapesWhoseSizeWraps) {
  const std::string why = refusal("linear:10", Shape{int64_t{4294967296}, int64_t{4294967296}});
  EXPECT_NE(why.find("64 bits"), std::string::npos) << why;
}

TEST(HostileSpec, ModelFileWhoseSpecAsksForMoreThanItsTensors) {
  TempDir dir;
  for (const std::string spec :
       {"linear:1000000", "conv:100000x10x10,gap,linear:10", "conv:1x3x3:pad=2305843009213693952,gap,linear:10"}) {
    SafetensorsContents contents;
    contents.metadata = {{"nnlab.format_version", "1"}, {"nnlab.model", spec}, {"nnlab.input_shape", "1x28x28"}};
    contents.tensors["0.weight"] = {{2, 2}, {1, 2, 3, 4}};
    const std::string path = (dir.path() / "hostile.safetensors").string();
    write_safetensors(path, contents);
    try {
      load_model(path);
      FAIL() << spec;
    } catch (const std::runtime_error& e) {
      const std::string why = e.what();
      EXPECT_NE(why.find(path + ": bad nnlab.model"), std::string::npos) << why;
      if (spec == "linear:1000000") {
        EXPECT_NE(why.find("the file's tensors hold 4 values in all"), std::string::npos) << why;
      }
    }
  }
}

}  // namespace nnlab::test
