// SparseInput's two products against plain loops in double, over widths that
// exercise every block size and edge (m = 1 … 130), inputs with empty rows and
// columns, one and two threads; and a model whose first Linear takes the sparse
// path computing what the dense path computes.

#include "nnlab/kernels/sparse_input.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "nnlab/init/initializer.h"
#include "nnlab/kernels/threads.h"
#include "nnlab/losses/softmax_cross_entropy.h"
#include "nnlab/model/model_spec.h"
#include "nnlab/tensor/random.h"

namespace nnlab::test {
namespace {

// rows×cols values, each nonzero with probability `density`; row 1 and column 2 all zero.
template <typename T>
std::vector<T> sparse_values(int64_t rows, int64_t cols, double density, Rng& rng) {
  std::vector<T> x(static_cast<size_t>(rows * cols), T(0));
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t c = 0; c < cols; ++c) {
      if (r != 1 && c != 2 && rng.uniform() < density) x[static_cast<size_t>(r * cols + c)] = T(rng.uniform(0.01, 1));
    }
  }
  return x;
}

template <typename T>
std::vector<T> dense_values(int64_t count, Rng& rng) {
  std::vector<T> v(static_cast<size_t>(count));
  for (T& x : v) x = T(rng.uniform(-1, 1));
  return v;
}

template <typename T>
void expect_products_match(int64_t rows, int64_t cols, int64_t m, double tolerance) {
  Rng rng(static_cast<uint64_t>(rows * 1000 + cols * 10 + m));
  const auto x = sparse_values<T>(rows, cols, 0.2, rng);
  const auto w = dense_values<T>(m * cols, rng);
  const auto bias = dense_values<T>(m, rng);
  const auto dy = dense_values<T>(rows * m, rng);

  SparseInput<T> sparse;
  ASSERT_TRUE(sparse.assign(x.data(), rows, cols, 0.5));
  std::vector<T> y(static_cast<size_t>(rows * m), T(-7));
  std::vector<T> dw(static_cast<size_t>(m * cols), T(-7));
  sparse.linear_forward(w.data(), bias.data(), m, y.data());
  sparse.weight_grad(dy.data(), m, dw.data());

  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t j = 0; j < m; ++j) {
      double expected = bias[static_cast<size_t>(j)];
      for (int64_t c = 0; c < cols; ++c) expected += double(x[r * cols + c]) * double(w[j * cols + c]);
      ASSERT_NEAR(y[r * m + j], expected, tolerance) << "y[" << r << "," << j << "] rows " << rows << " m " << m;
    }
  }
  for (int64_t j = 0; j < m; ++j) {
    for (int64_t c = 0; c < cols; ++c) {
      double expected = 0;
      for (int64_t r = 0; r < rows; ++r) expected += double(dy[r * m + j]) * double(x[r * cols + c]);
      ASSERT_NEAR(dw[j * cols + c], expected, tolerance) << "dW[" << j << "," << c << "] m " << m;
    }
  }
}

TEST(SparseInput, FloatProductsMatchPlainLoopsForEveryWidth) {
  for (int64_t m : {1, 4, 10, 16, 17, 31, 32, 33, 48, 63, 64, 65, 100, 130}) {
    expect_products_match<float>(13, 53, m, 1e-4);
    expect_products_match<float>(70, 45, m, 1e-4);
  }
  // More than one block of rows (dW) and of columns (forward): blocks are 128 long.
  expect_products_match<float>(300, 290, 37, 1e-4);
  expect_products_match<float>(129, 129, 100, 1e-4);
}

TEST(SparseInput, DoubleProductsMatchPlainLoops) {
  for (int64_t m : {3, 16, 100}) expect_products_match<double>(9, 40, m, 1e-12);
  expect_products_match<double>(33, 97, 70, 1e-12);
  expect_products_match<double>(260, 140, 20, 1e-12);
}

TEST(SparseInput, ImageSizedBatchOnTwoThreads) {
  const ThreadScope threads(2);
  expect_products_match<float>(128, 784, 100, 1e-4);
  expect_products_match<float>(128, 784, 512, 1e-4);
}

TEST(SparseInput, RefusesDenseInputAndKeepsNaN) {
  Rng rng(1);
  const auto dense = dense_values<float>(20 * 30, rng);
  SparseInput<float> sparse;
  EXPECT_FALSE(sparse.assign(dense.data(), 20, 30, 0.3));

  // A NaN is not zero: it is kept, so it reaches the output as it would through gemm.
  std::vector<float> x(2 * 20, 0.0f);
  x[5] = std::numeric_limits<float>::quiet_NaN();
  x[20 + 7] = 2.0f;
  ASSERT_TRUE(sparse.assign(x.data(), 2, 20, 0.3));
  EXPECT_EQ(sparse.nonzeros(), 2);
  const std::vector<float> w(3 * 20, 1.0f);
  std::vector<float> y(2 * 3);
  sparse.linear_forward(w.data(), nullptr, 3, y.data());
  EXPECT_TRUE(std::isnan(y[0]));
  EXPECT_FLOAT_EQ(y[3], 2.0f);
}

// The first Linear of a model computes no dx, so it takes the sparse path on a mostly-zero
// batch; a copy of the model behind an Identity (so that Linear is not first) takes gemm.
TEST(SparseInput, FirstLinearOfAModelMatchesTheDensePath) {
  Rng rng(3);
  auto sparse_model = build_model<float>("linear:100,relu,linear:10", Shape{784});
  auto dense_model = build_model<float>("identity,linear:100,relu,linear:10", Shape{784});
  sparse_model.initialize(Initializer::he_normal(), rng);
  auto sparse_params = sparse_model.parameters();
  auto dense_params = dense_model.parameters();
  ASSERT_EQ(sparse_params.size(), dense_params.size());
  for (size_t p = 0; p < sparse_params.size(); ++p) {
    std::copy(sparse_params[p].value->begin(), sparse_params[p].value->end(), dense_params[p].value->begin());
  }

  Tensor<float> x(Shape{64, 784});
  const auto values = sparse_values<float>(64, 784, 0.19, rng);
  std::copy(values.begin(), values.end(), x.begin());
  Tensor<float> labels(Shape{64});
  for (float& t : labels) t = static_cast<float>(rng.below(10));

  SoftmaxCrossEntropy<float> loss_a, loss_b;
  const float a = loss_a.forward(sparse_model.forward(x), labels);
  const float b = loss_b.forward(dense_model.forward(x), labels);
  EXPECT_NEAR(a, b, 1e-5);
  sparse_model.backward(loss_a.backward());
  dense_model.backward(loss_b.backward());
  for (size_t p = 0; p < sparse_params.size(); ++p) {
    const auto& ga = *sparse_params[p].grad;
    const auto& gb = *dense_params[p].grad;
    for (int64_t i = 0; i < ga.size(); ++i) ASSERT_NEAR(ga[i], gb[i], 1e-5) << sparse_params[p].name << " " << i;
  }
}

}  // namespace
}  // namespace nnlab::test
