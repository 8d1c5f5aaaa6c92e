// DataParallel's shards of a batch: every row once, in order, the ranks' shares differing by at
// most one row (none for some ranks when the batch has fewer rows than there are ranks).

#include "nnlab/distributed/data_parallel.h"

#include <gtest/gtest.h>

#include "nnlab/model/model_spec.h"

namespace nnlab::test {

namespace {

// Rank `rank` of `size`, for the shards; no exchanges.
class RankOf final : public Communicator {
 public:
  RankOf(int rank, int size) : rank_(rank), size_(size) {}
  int rank() const override { return rank_; }
  int size() const override { return size_; }
  int local_size() const override { return size_; }
  void allreduce_sum(std::span<float> values) override {
    for (float& v : values) v *= static_cast<float>(size_);  // as if every rank held the same
  }
  void allreduce_sum(std::span<double> /*values*/) override {}
  void broadcast(std::span<float> /*values*/, int /*root*/) override {}
  void broadcast(std::span<int64_t> /*values*/, int /*root*/) override {}
  void broadcast(std::string& /*text*/, int /*root*/) override {}
  void send(const std::string& /*text*/, int /*destination*/) override {}
  std::string receive(int /*source*/) override { return {}; }
  [[noreturn]] void abort(int /*code*/) override { std::abort(); }
  void set_timeout(double /*seconds*/) override {}

 private:
  int rank_, size_;
};

}  // namespace

TEST(DataParallel, ShardsHoldEveryRowOnceInOrder) {
  for (int64_t rows : {1, 2, 7, 100}) {
    for (int size : {1, 2, 3, 4}) {
      Tensor<float> batch(Shape{rows, 3});
      for (int64_t i = 0; i < batch.size(); ++i) batch[i] = static_cast<float>(i);
      std::vector<float> joined;
      int64_t smallest = rows, largest = 0;
      for (int rank = 0; rank < size; ++rank) {
        RankOf world(rank, size);
        Sequential<float> model = build_model<float>("linear:2", Shape{3});
        DataParallel parallel(world, model);
        Tensor<float> shard;
        parallel.shard(batch, shard);
        EXPECT_EQ(shard.row_size(), 3);
        smallest = std::min(smallest, shard.rows());
        largest = std::max(largest, shard.rows());
        joined.insert(joined.end(), shard.begin(), shard.end());
      }
      EXPECT_EQ(joined, std::vector<float>(batch.begin(), batch.end())) << rows << " rows on " << size;
      EXPECT_LE(largest - smallest, 1) << rows << " rows on " << size;
    }
  }
}

TEST(DataParallel, LabelsShardLikeTheirRows) {
  Tensor<float> labels(Shape{5}, std::vector<float>{0, 1, 2, 3, 4});
  RankOf world(1, 2);
  Sequential<float> model = build_model<float>("linear:2", Shape{3});
  DataParallel parallel(world, model);
  Tensor<float> shard;
  parallel.shard(labels, shard);
  EXPECT_EQ(shard.shape(), Shape({3}));
  EXPECT_EQ(std::vector<float>(shard.begin(), shard.end()), (std::vector<float>{2, 3, 4}));
}

TEST(DataParallel, ARankWithoutRowsAddsZeros) {
  RankOf world(0, 2);
  Sequential<float> model = build_model<float>("linear:2", Shape{3});
  for (Parameter<float>& p : model.parameters()) p.grad->fill(5.0F);  // left from an earlier step
  DataParallel parallel(world, model);
  parallel.allreduce_gradients(/*computed=*/false);
  for (Parameter<float>& p : model.parameters()) {
    for (float g : *p.grad) EXPECT_EQ(g, 0.0F) << p.name;
  }
  for (Parameter<float>& p : model.parameters()) p.grad->fill(1.5F);
  parallel.allreduce_gradients(/*computed=*/true);
  for (Parameter<float>& p : model.parameters()) {
    for (float g : *p.grad) EXPECT_EQ(g, 3.0F) << p.name;
  }
}

}  // namespace nnlab::test
