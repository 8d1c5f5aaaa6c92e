// nnlab gradcheck on models with dropout, and on the convolutional presets, which
// it checks on a sample of each tensor's coordinates.

#include "cli/cli_runner.h"

namespace nnlab::test {

class CliGradcheck : public CliRunner {};

TEST_F(CliGradcheck, DropoutModelPassesWithItsMaskFrozen) {
  const CliResult r = run("gradcheck --model \"linear:5,dropout:0.5,linear:3\"");
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("all gradients agree"), std::string::npos) << r.out;
  EXPECT_EQ(count(r.out, "dropout: 1 layer(s) in training mode, mask frozen"), 2) << r.out;  // both losses
  EXPECT_EQ(count(r.out, "FAILED"), 0) << r.out;
  // input 2×12, 0.weight 5×12, 0.bias 5, 2.weight 3×5, 2.bias 3: fewer than 200 each, all checked.
  EXPECT_EQ(count(r.out, "(107 of 107 coordinates"), 2) << r.out;
}

TEST_F(CliGradcheck, BuiltInListChecksDropoutToo) {
  const CliResult r = run("gradcheck");
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("layer dropout:0.5"), std::string::npos) << r.out;
}

TEST_F(CliGradcheck, SimpleCnnChecksASampleOfEachTensorWithProgress) {
  const CliResult r = run("gradcheck --model simple-cnn --input 1x28x28");  // the defaults: about 1 s
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("at most 200 random coordinates per tensor"), std::string::npos) << r.out;
  // One progress line per tensor and loss: input, 0.weight, 0.bias, 3.weight, 3.bias, 5.weight, 5.bias.
  EXPECT_EQ(count(r.out, "3.weight"), 2) << r.out;
  EXPECT_EQ(count(r.out, "200 of 432000   coordinates"), 2) << r.out;  // 3.weight: 100 × 30·12·12
  EXPECT_EQ(count(r.out, "30 of 30       coordinates"), 2) << r.out;   // 0.bias: all
  // input 1568, 0.weight 750, 3.weight and 5.weight (1000) sampled to 200; the biases (30, 100, 10) complete.
  EXPECT_EQ(count(r.out, "ok (940 of 435458 coordinates"), 2) << r.out;
  EXPECT_NE(r.out.find("all gradients agree"), std::string::npos) << r.out;
}

TEST_F(CliGradcheck, ResnetPassesWithBatchNormInTrainingMode) {
  const CliResult r = run("gradcheck --model resnet --input 1x28x28 --coordinates 50");  // 200: 11 s
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("9.body.0.weight"), std::string::npos) << r.out;  // inside the third residual block
  EXPECT_NE(r.out.find("all gradients agree"), std::string::npos) << r.out;
}

TEST_F(CliGradcheck, CoordinatesAllChecksEveryOne) {
  const CliResult r = run("gradcheck --model linear:3 --input 300 --coordinates all");
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("every coordinate of each tensor"), std::string::npos) << r.out;
  EXPECT_EQ(count(r.out, "900 of 900"), 2) << r.out;  // 0.weight, both losses
}

TEST_F(CliGradcheck, BadCoordinatesIsOneLineAndExitTwo) {
  for (const char* bad : {"0", "-3", "many", "12x"}) {
    const CliResult r = run(std::string("gradcheck --model linear:3 --coordinates ") + bad);
    EXPECT_EQ(r.code, 2) << bad << r.out;
    EXPECT_EQ(lines(r.err), 1) << r.err;
    EXPECT_NE(r.err.find("--coordinates"), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "") << bad;
  }
}

}  // namespace nnlab::test
