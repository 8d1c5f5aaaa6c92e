// Eval mode is deterministic: Dropout is the identity and BatchNorm uses its running
// statistics, so the same input gives the same output every time, whatever the
// batch it comes in, and evaluation leaves the running statistics alone.

#include <gtest/gtest.h>

#include "nnlab/layers/batchnorm.h"
#include "nnlab/model/model_spec.h"

namespace nnlab::test {
namespace {

Sequential<float> model_with_dropout_and_batchnorm() {
  Sequential<float> model = build_model<float>(
      "linear:16,batchnorm,relu,dropout:0.5,linear:16,batchnorm,relu,dropout:0.5,linear:3", Shape{6});
  Rng rng(9);
  model.initialize(Initializer::he_normal(), rng);
  Tensor<float> x(Shape{8, 6});
  for (int step = 0; step < 5; ++step) {  // running statistics away from 0 and 1
    for (auto& v : x) v = static_cast<float>(1.0 + rng.normal());
    model.forward(x);
  }
  return model;
}

Tensor<float> input(int64_t rows) {
  Tensor<float> x(Shape{rows, 6});
  for (int64_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>((i * 7) % 11) / 5.0f - 1.0f;
  return x;
}

TEST(EvalMode, SameInputGivesTheSameOutputEveryTime) {
  Sequential<float> model = model_with_dropout_and_batchnorm();
  model.eval();
  const Tensor<float> x = input(4);
  const Tensor<float> first = model.forward(x);
  auto& bn = dynamic_cast<BatchNorm<float>&>(model[1]);
  const Tensor<float> mean = bn.running_mean();
  for (int repeat = 0; repeat < 5; ++repeat) {
    const Tensor<float>& again = model.forward(x);
    for (int64_t i = 0; i < first.size(); ++i) ASSERT_EQ(again[i], first[i]) << "repeat " << repeat << " element " << i;
  }
  for (int64_t i = 0; i < mean.size(); ++i) EXPECT_EQ(bn.running_mean()[i], mean[i]);  // untouched

  // Each sample's output does not depend on the rest of the batch.
  for (int64_t r = 0; r < x.rows(); ++r) {
    Tensor<float> row(Shape{1, 6});
    std::copy(x.row(r), x.row(r) + 6, row.begin());
    const Tensor<float>& alone = model.forward(row);
    for (int64_t k = 0; k < 3; ++k) EXPECT_NEAR(alone[k], first[r * 3 + k], 1e-5f) << "row " << r;
  }
}

TEST(EvalMode, TrainingModeIsNotDeterministicButEvalAfterItIs) {
  Sequential<float> model = model_with_dropout_and_batchnorm();
  const Tensor<float> x = input(4);
  model.train();
  const Tensor<float> a = model.forward(x);
  const Tensor<float> b = model.forward(x);  // another dropout mask
  bool differ = false;
  for (int64_t i = 0; i < a.size(); ++i) differ |= a[i] != b[i];
  EXPECT_TRUE(differ);
  model.eval();
  const Tensor<float> c = model.forward(x);
  const Tensor<float>& d = model.forward(x);
  for (int64_t i = 0; i < c.size(); ++i) EXPECT_EQ(c[i], d[i]);
}

}  // namespace
}  // namespace nnlab::test
