#include "nnlab/distributed/data_parallel.h"

#include <algorithm>

#include "nnlab/layers/batchnorm.h"

namespace nnlab {

namespace {
// Adds the seconds of its scope to `total`.
class Timed {
 public:
  explicit Timed(double& total) : total_(total), start_(std::chrono::steady_clock::now()) {}
  ~Timed() { total_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count(); }
  Timed(const Timed&) = delete;
  Timed& operator=(const Timed&) = delete;

 private:
  double& total_;
  std::chrono::steady_clock::time_point start_;
};
}  // namespace

DataParallel::DataParallel(Communicator& communicator, Module<float>& model)
    : communicator_(communicator), model_(model), parameters_(model.parameters()) {
  size_t total = 0;
  for (const Parameter<float>& p : parameters_) {
    // A gradient a rank has not written yet (no rows in its first step) still takes part.
    if (p.grad->shape() != p.value->shape()) p.grad->resize(p.value->shape());
    total += static_cast<size_t>(p.value->size());
  }
  flat_.resize(total);
}

void DataParallel::start() {
  broadcast_parameters();
  broadcast_buffers();
  if (communicator_.is_root()) return;
  // Rank r's generators: r seeds on from rank 0's state, so that a run is the same for the same seed and ranks.
  for (auto& [name, generator] : model_.generators()) {
    uint64_t seed = 0;
    for (int r = 0; r < communicator_.rank(); ++r) seed = generator->next_seed();
    *generator = Rng(seed);
  }
}

void DataParallel::broadcast_parameters() {
  for (const Parameter<float>& p : parameters_) communicator_.broadcast(p.value->span(), 0);
}

void DataParallel::allreduce(std::span<double> values) {
  const Timed timed(seconds_);
  communicator_.allreduce_sum(values);
}

void DataParallel::broadcast_buffers() {
  const Timed timed(seconds_);
  for (auto& [name, buffer] : model_.buffers()) communicator_.broadcast(buffer->span(), 0);
  std::vector<std::pair<std::string, int64_t*>> counts = model_.integer_buffers();
  if (counts.empty()) return;
  std::vector<int64_t> values;
  values.reserve(counts.size());
  for (const auto& [name, count] : counts) values.push_back(*count);
  communicator_.broadcast(std::span<int64_t>(values), 0);
  for (size_t i = 0; i < counts.size(); ++i) *counts[i].second = values[i];
}

void DataParallel::shard(const Tensor<float>& batch, Tensor<float>& shard) const {
  const int64_t rows = batch.rows();
  const int64_t ranks = communicator_.size(), rank = communicator_.rank();
  const int64_t begin = rows * rank / ranks, end = rows * (rank + 1) / ranks;
  Shape shape = batch.shape();
  if (shape.rank() == 0) shape = Shape{rows};
  shape[0] = end - begin;
  shard.resize(shape);
  std::copy(batch.row(begin), batch.row(begin) + (end - begin) * batch.row_size(), shard.data());
}

void DataParallel::allreduce_gradients(bool computed) {
  float* out = flat_.data();
  for (const Parameter<float>& p : parameters_) {
    if (computed) {
      std::copy(p.grad->begin(), p.grad->end(), out);
    } else {
      std::fill(out, out + p.grad->size(), 0.0F);
    }
    out += p.grad->size();
  }
  {
    const Timed timed(seconds_);
    communicator_.allreduce_sum(std::span<float>(flat_));
  }
  const float* in = flat_.data();
  for (const Parameter<float>& p : parameters_) {
    std::copy(in, in + p.grad->size(), p.grad->begin());
    in += p.grad->size();
  }
}

int synchronize_batchnorm(Module<float>& model, Communicator& communicator) {
  int count = 0;
  if (auto* batchnorm = dynamic_cast<BatchNorm<float>*>(&model)) {
    batchnorm->synchronize(&communicator);
    ++count;
  }
  for (auto& [name, child] : model.children()) count += synchronize_batchnorm(*child, communicator);
  return count;
}

}  // namespace nnlab
