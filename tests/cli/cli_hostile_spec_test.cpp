// Hostile input through the tool, as a fuzzer found it: one line naming the problem, exit 2, never a crash.

#include "cli_runner.h"
#include "nnlab/io/safetensors.h"

namespace nnlab::test {

class CliHostileSpec : public CliRunner {};

TEST_F(CliHostileSpec, ConvPaddingThatOverflowedIm2col) {
  const CliResult r = run("train --model 'conv:1x3x3:pad=2305843009213693952,gap,linear:10' --epochs 1 --out " +
                          (dir_ / "run").string());
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_EQ(lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("does not fit in 64 bits"), std::string::npos) << r.err;
}

TEST_F(CliHostileSpec, ModelFileWithThatSpecIsRefusedByPredict) {
  SafetensorsContents contents;
  contents.metadata = {{"nnlab.format_version", "1"},
                       {"nnlab.model", "conv:1x3x3:pad=2305843009213693952,gap,linear:10"},
                       {"nnlab.input_shape", "1x28x28"}};
  contents.tensors["0.weight"] = {{1, 1, 3, 3}, std::vector<float>(9, 0.5f)};
  contents.tensors["0.bias"] = {{1}, {0.0f}};
  const std::string model = (dir_ / "hostile.safetensors").string();
  write_safetensors(model, contents);
  const CliResult r =
      run("predict --model " + model + " " + std::string(NNLAB_SOURCE_DIR) + "/data/examples/digit-0-mnist8007.png");
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_EQ(lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find(model), std::string::npos) << r.err;
}

TEST_F(CliHostileSpec, HugeLinearLayerIsRefusedWithTheMemoryItNeeds) {
  const CliResult r = run("train --model linear:999999999 --epochs 1 --out " + (dir_ / "run").string());
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("bad layer 'linear:999999999'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("memory"), std::string::npos) << r.err;
}

TEST_F(CliHostileSpec, PoolingSizesThatOverflow) {
  for (const std::string spec :
       {"maxpool:15:pad=9223372036854775807,flatten,linear:10", "avgpool:1:stride=42949672960,flatten,linear:10"}) {
    const CliResult r = run("train --model '" + spec + "' --epochs 1 --out " + (dir_ / "run").string());
    EXPECT_EQ(r.code, 2) << spec << ": " << r.err;
    EXPECT_NE(r.err.find("at most"), std::string::npos) << r.err;
  }
}

}  // namespace nnlab::test
