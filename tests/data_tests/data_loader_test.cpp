#include "nnlab/data/data_loader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <stdexcept>

#include "data_tests/numbered_dataset.h"

namespace nnlab::test {
namespace {

// One epoch of `loader`: the sample numbers of each batch.
std::vector<std::vector<int64_t>> epoch(DataLoader& loader) {
  std::vector<std::vector<int64_t>> batches;
  Tensor<float> x;
  Tensor<float> y;
  loader.start_epoch();
  while (loader.next(x, y)) batches.push_back(sample_ids(x, y));
  return batches;
}

std::vector<int64_t> flat(const std::vector<std::vector<int64_t>>& batches) {
  std::vector<int64_t> all;
  for (const auto& batch : batches) all.insert(all.end(), batch.begin(), batch.end());
  return all;
}

std::vector<int64_t> range(int64_t n) {
  std::vector<int64_t> ids(static_cast<size_t>(n));
  std::iota(ids.begin(), ids.end(), int64_t{0});
  return ids;
}

TEST(DataLoader, EverySampleExactlyOncePerEpoch) {
  const Dataset data = numbered(23);
  Rng rng(5);
  DataLoader loader(data, 5, rng);
  EXPECT_EQ(loader.batches_per_epoch(), 5);
  for (int e = 0; e < 3; ++e) {
    const auto batches = epoch(loader);
    ASSERT_EQ(batches.size(), 5u);
    for (size_t b = 0; b < 4; ++b) EXPECT_EQ(batches[b].size(), 5u);
    EXPECT_EQ(batches[4].size(), 3u);  // the smaller last batch
    auto all = flat(batches);
    std::sort(all.begin(), all.end());
    EXPECT_EQ(all, range(23)) << "epoch " << e;
  }
}

TEST(DataLoader, ReshufflesEveryEpoch) {
  const Dataset data = numbered(40);
  Rng rng(5);
  DataLoader loader(data, 8, rng);
  const auto first = flat(epoch(loader));
  const auto second = flat(epoch(loader));
  EXPECT_NE(first, range(40));
  EXPECT_NE(first, second);
}

TEST(DataLoader, SameSeedSameOrder) {
  const Dataset data = numbered(40);
  Rng rng_a(11);
  Rng rng_b(11);
  Rng rng_c(12);
  DataLoader a(data, 8, rng_a);
  DataLoader b(data, 8, rng_b);
  DataLoader c(data, 8, rng_c);
  for (int e = 0; e < 2; ++e) {
    const auto order = flat(epoch(a));
    EXPECT_EQ(order, flat(epoch(b)));
    EXPECT_NE(order, flat(epoch(c)));
  }
}

TEST(DataLoader, WithoutShuffleKeepsTheDatasetOrder) {
  const Dataset data = numbered(10);
  Rng rng(0);
  DataLoader loader(data, 4, rng, /*shuffle=*/false);
  EXPECT_EQ(epoch(loader), (std::vector<std::vector<int64_t>>{{0, 1, 2, 3}, {4, 5, 6, 7}, {8, 9}}));
}

TEST(DataLoader, DropLastDropsTheSmallerBatch) {
  const Dataset data = numbered(23);
  Rng rng(2);
  DataLoader loader(data, 5, rng, /*shuffle=*/true, /*drop_last=*/true);
  EXPECT_EQ(loader.batches_per_epoch(), 4);
  const auto batches = epoch(loader);
  ASSERT_EQ(batches.size(), 4u);
  for (const auto& batch : batches) EXPECT_EQ(batch.size(), 5u);
  auto all = flat(batches);
  std::sort(all.begin(), all.end());
  EXPECT_EQ(std::adjacent_find(all.begin(), all.end()), all.end());  // no sample twice
}

TEST(DataLoader, BatchOfOne) {
  const Dataset data = numbered(7);
  Rng rng(3);
  DataLoader loader(data, 1, rng);
  EXPECT_EQ(loader.batches_per_epoch(), 7);
  const auto batches = epoch(loader);
  ASSERT_EQ(batches.size(), 7u);
  for (const auto& batch : batches) EXPECT_EQ(batch.size(), 1u);
}

TEST(DataLoader, FullBatchAndLargerBatchesAreClamped) {
  const Dataset data = numbered(23);
  Rng rng(3);
  for (int64_t batch_size : {23, 1000}) {
    DataLoader loader(data, batch_size, rng, true, /*drop_last=*/true);
    EXPECT_EQ(loader.batch_size(), 23);
    EXPECT_EQ(loader.batches_per_epoch(), 1);
    const auto batches = epoch(loader);
    ASSERT_EQ(batches.size(), 1u);
    EXPECT_EQ(batches[0].size(), 23u);
  }
}

TEST(DataLoader, RejectsBatchSizeBelowOne) {
  const Dataset data = numbered(5);
  Rng rng(0);
  EXPECT_THROW(DataLoader(data, 0, rng), std::invalid_argument);
  EXPECT_THROW(DataLoader(data, -3, rng), std::invalid_argument);
}

TEST(DataLoader, FirstNextStartsAnEpochAndAnEpochEnds) {
  const Dataset data = numbered(6);
  Rng rng(0);
  DataLoader loader(data, 4, rng);
  Tensor<float> x;
  Tensor<float> y;
  EXPECT_TRUE(loader.next(x, y));
  EXPECT_TRUE(loader.next(x, y));
  EXPECT_EQ(x.shape(), (Shape{2, 3}));
  EXPECT_FALSE(loader.next(x, y));
  EXPECT_FALSE(loader.next(x, y));  // stays over until start_epoch()
  loader.start_epoch();
  EXPECT_TRUE(loader.next(x, y));
}

TEST(DataLoader, NoAllocationAfterTheFirstEpoch) {
  const Dataset data = numbered(50);
  Rng rng(9);
  DataLoader loader(data, 16, rng);
  Tensor<float> x;
  Tensor<float> y;
  loader.start_epoch();
  while (loader.next(x, y)) {
  }
  const float* x_storage = x.data();
  const float* y_storage = y.data();
  for (int e = 0; e < 2; ++e) {
    loader.start_epoch();
    while (loader.next(x, y)) {
      EXPECT_EQ(x.data(), x_storage);
      EXPECT_EQ(y.data(), y_storage);
    }
  }
}

}  // namespace
}  // namespace nnlab::test
