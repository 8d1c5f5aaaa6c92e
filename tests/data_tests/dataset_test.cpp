#include "nnlab/data/dataset.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <set>
#include <stdexcept>

#include "data_tests/numbered_dataset.h"

namespace nnlab::test {
namespace {

TEST(Dataset, EmptyDatasetHasSizeZero) {
  Dataset empty;
  EXPECT_EQ(empty.size(), 0);
  EXPECT_FALSE(empty.classification());
  EXPECT_EQ(numbered(7).size(), 7);
  EXPECT_TRUE(numbered(7).classification());
}

TEST(Dataset, SubsetCopiesTheChosenSamplesInOrder) {
  const Dataset data = numbered(10);
  const Dataset part = data.subset({7, 2, 2, 9});
  EXPECT_EQ(part.x.shape(), (Shape{4, 3}));
  EXPECT_EQ(part.y.shape(), (Shape{4}));
  EXPECT_EQ(part.num_classes, 4);
  EXPECT_EQ(sample_ids(part), (std::vector<int64_t>{7, 2, 2, 9}));
  EXPECT_THROW(data.subset({0, 10}), std::out_of_range);
  EXPECT_THROW(data.subset({-1}), std::out_of_range);
}

TEST(Dataset, SliceCopiesARange) {
  const Dataset data = numbered(10);
  EXPECT_EQ(sample_ids(data.slice(3, 6)), (std::vector<int64_t>{3, 4, 5}));
  EXPECT_EQ(data.slice(4, 4).size(), 0);
  EXPECT_EQ(data.slice(0, 10).size(), 10);
  EXPECT_THROW(data.slice(5, 11), std::out_of_range);
  EXPECT_THROW(data.slice(6, 5), std::out_of_range);
  EXPECT_THROW(data.slice(-1, 2), std::out_of_range);
}

TEST(Dataset, SplitValidationSizesDisjointUnion) {
  const Dataset data = numbered(100);
  Rng rng(42);
  const TrainValidation split = split_validation(data, 0.2, rng);
  EXPECT_EQ(split.validation.size(), 20);
  EXPECT_EQ(split.train.size(), 80);
  EXPECT_EQ(split.train.num_classes, 4);
  EXPECT_EQ(split.validation.num_classes, 4);
  const std::vector<int64_t> train = sample_ids(split.train);
  const std::vector<int64_t> validation = sample_ids(split.validation);
  std::set<int64_t> all(train.begin(), train.end());
  for (int64_t id : validation) EXPECT_TRUE(all.insert(id).second) << "sample " << id << " in both parts";
  EXPECT_EQ(all.size(), 100u);
  EXPECT_EQ(*all.begin(), 0);
  EXPECT_EQ(*all.rbegin(), 99);
  // Drawn at random: the validation samples are not simply the first 20.
  EXPECT_NE(validation, (sample_ids(data.slice(0, 20))));
}

TEST(Dataset, SplitRoundsTheShare) {
  Rng rng(1);
  EXPECT_EQ(split_validation(numbered(10), 0.25, rng).validation.size(), 3);  // 2.5 rounds up
  EXPECT_EQ(split_validation(numbered(10), 0.24, rng).validation.size(), 2);
  const TrainValidation none = split_validation(numbered(10), 0.0, rng);
  EXPECT_EQ(none.validation.size(), 0);
  EXPECT_EQ(none.train.size(), 10);
  EXPECT_EQ(none.validation.x.shape(), (Shape{0, 3}));
}

TEST(Dataset, SplitIsSeeded) {
  const Dataset data = numbered(50);
  Rng first(7);
  Rng second(7);
  Rng other(8);
  const auto a = sample_ids(split_validation(data, 0.3, first).validation);
  const auto b = sample_ids(split_validation(data, 0.3, second).validation);
  const auto c = sample_ids(split_validation(data, 0.3, other).validation);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

TEST(Dataset, SplitRejectsBadShares) {
  Rng rng(0);
  EXPECT_THROW(split_validation(numbered(10), -0.1, rng), std::invalid_argument);
  EXPECT_THROW(split_validation(numbered(10), 1.0, rng), std::invalid_argument);
  EXPECT_THROW(split_validation(numbered(10), std::numeric_limits<double>::quiet_NaN(), rng), std::invalid_argument);
  // round(0.96 × 10) = 10 and round(0.5 × 1) = 1 would leave nothing to train on.
  EXPECT_THROW(split_validation(numbered(10), 0.96, rng), std::invalid_argument);
  EXPECT_THROW(split_validation(numbered(1), 0.5, rng), std::invalid_argument);
  EXPECT_EQ(split_validation(numbered(10), 0.94, rng).train.size(), 1);
}

TEST(Dataset, GatherLabels) {
  const Dataset data = numbered(6);
  Tensor<float> x;
  Tensor<float> y;
  const std::vector<int64_t> indices = {5, 0, 3};
  gather(data, indices.data(), 3, x, y);
  EXPECT_EQ(x.shape(), (Shape{3, 3}));
  EXPECT_EQ(y.shape(), (Shape{3}));
  EXPECT_EQ(std::vector<float>(x.begin(), x.end()), (std::vector<float>{5, 5.5f, -5, 0, 0.5f, 0, 3, 3.5f, -3}));
  EXPECT_EQ(std::vector<float>(y.begin(), y.end()), (std::vector<float>{1, 0, 3}));
  const std::vector<int64_t> bad = {6};
  EXPECT_THROW(gather(data, bad.data(), 1, x, y), std::out_of_range);
}

TEST(Dataset, GatherRegressionTargetsAndImages) {
  Dataset data;  // 4 images 1×2×2 with targets (10 i, 10 i + 1)
  data.x = Tensor<float>(Shape{4, 1, 2, 2});
  data.y = Tensor<float>(Shape{4, 2});
  for (int64_t i = 0; i < 4; ++i) {
    for (int64_t k = 0; k < 4; ++k) data.x.row(i)[k] = static_cast<float>(i * 100 + k);
    data.y.row(i)[0] = static_cast<float>(10 * i);
    data.y.row(i)[1] = static_cast<float>(10 * i + 1);
  }
  Tensor<float> x;
  Tensor<float> y;
  const std::vector<int64_t> indices = {2, 1};
  gather(data, indices.data(), 2, x, y);
  EXPECT_EQ(x.shape(), (Shape{2, 1, 2, 2}));
  EXPECT_EQ(y.shape(), (Shape{2, 2}));
  EXPECT_EQ(std::vector<float>(x.begin(), x.end()), (std::vector<float>{200, 201, 202, 203, 100, 101, 102, 103}));
  EXPECT_EQ(std::vector<float>(y.begin(), y.end()), (std::vector<float>{20, 21, 10, 11}));
}

TEST(Dataset, GatherDoesNotReallocateOnceGrown) {
  const Dataset data = numbered(20);
  std::vector<int64_t> indices(8);
  for (int64_t i = 0; i < 8; ++i) indices[static_cast<size_t>(i)] = 19 - i;
  Tensor<float> x;
  Tensor<float> y;
  gather(data, indices.data(), 8, x, y);
  const float* x_storage = x.data();
  const float* y_storage = y.data();
  gather(data, indices.data(), 3, x, y);  // a smaller last batch
  EXPECT_EQ(x.shape(), (Shape{3, 3}));
  gather(data, indices.data(), 8, x, y);
  EXPECT_EQ(x.data(), x_storage);
  EXPECT_EQ(y.data(), y_storage);
  EXPECT_EQ(x.row(7)[0], 12.0f);
}

}  // namespace
}  // namespace nnlab::test
