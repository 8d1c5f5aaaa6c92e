#include "nnlab/data/data_loader.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace nnlab {

DataLoader::DataLoader(const Dataset& data, int64_t batch_size, Rng& rng, bool shuffle, bool drop_last)
    : data_(data), batch_size_(batch_size), rng_(rng), shuffle_(shuffle), drop_last_(drop_last) {
  if (batch_size < 1) throw std::invalid_argument("batch size must be at least 1, got " + std::to_string(batch_size));
  if (data.x.rows() != data.y.rows()) {
    throw std::invalid_argument("dataset inputs " + data.x.shape().str() + " and targets " + data.y.shape().str() +
                                " do not have the same number of samples");
  }
  // A batch larger than the dataset means "all of it": full-batch gradient descent.
  if (data.size() > 0) batch_size_ = std::min(batch_size_, data.size());
  order_.resize(static_cast<size_t>(data.size()));
}

void DataLoader::start_epoch() {
  // Each epoch's permutation starts from the identity, so it depends only on
  // the generator's state and not on the previous epoch's order.
  std::iota(order_.begin(), order_.end(), int64_t{0});
  if (shuffle_) std::shuffle(order_.begin(), order_.end(), rng_.engine());
  position_ = 0;
  epoch_started_ = true;
}

bool DataLoader::next(Tensor<float>& x, Tensor<float>& y) {
  if (!epoch_started_) start_epoch();
  const int64_t remaining = data_.size() - position_;
  if (remaining <= 0 || (drop_last_ && remaining < batch_size_)) {
    position_ = data_.size();
    return false;
  }
  const int64_t count = std::min(batch_size_, remaining);
  gather(data_, order_.data() + position_, count, x, y);
  position_ += count;
  return true;
}

int64_t DataLoader::batches_per_epoch() const {
  const int64_t n = data_.size();
  return drop_last_ ? n / batch_size_ : (n + batch_size_ - 1) / batch_size_;
}

}  // namespace nnlab
