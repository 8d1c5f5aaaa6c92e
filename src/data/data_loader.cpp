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
  ++epoch_;
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

StateDict DataLoader::state_dict() const {
  StateDict state;
  state.put_int("epoch", epoch_);
  state.put_int("position", position_);
  state.put_ints("order", epoch_started_ ? order_ : std::vector<int64_t>{});
  state.put_int("batch_size", batch_size_);
  state.put_int("shuffle", shuffle_);
  state.put_int("drop_last", drop_last_);
  return state;
}

void DataLoader::load_state_dict(const StateDict& state) {
  const std::string owner = "data loader: cannot load the state";
  try {
    state.require_names({"epoch", "position", "order", "batch_size", "shuffle", "drop_last"}, "the state dict");
    const auto same = [&](const char* name, int64_t mine) {
      const int64_t saved = state.get_int(name);
      if (saved != mine) {
        throw std::runtime_error("entry '" + std::string(name) + "' is " + std::to_string(saved) +
                                 ", this loader has " + std::to_string(mine));
      }
    };
    same("batch_size", batch_size_);
    same("shuffle", shuffle_);
    same("drop_last", drop_last_);
    const int64_t epoch = state.get_int("epoch");
    const int64_t position = state.get_int("position");
    std::vector<int64_t> order = state.get_ints("order");
    const int64_t n = data_.size();
    // No epoch started: the order is empty, and the first next() draws one.
    const bool started = epoch > 0;
    if (epoch < 0) throw std::runtime_error("entry 'epoch' is negative: " + std::to_string(epoch));
    if (static_cast<int64_t>(order.size()) != (started ? n : 0)) {
      throw std::runtime_error("entry 'order' has " + std::to_string(order.size()) + " samples, expected " +
                               std::to_string(started ? n : 0) +
                               (started ? " (the dataset's size)" : " (no epoch yet)"));
    }
    if (position < 0 || position > (started ? n : 0)) {
      throw std::runtime_error("entry 'position' " + std::to_string(position) + " is outside the epoch's " +
                               std::to_string(started ? n : 0) + " samples");
    }
    // An index out of range would read outside the dataset: check it is a permutation.
    std::vector<bool> seen(order.size(), false);
    for (int64_t index : order) {
      if (index < 0 || index >= n || seen[static_cast<size_t>(index)]) {
        throw std::runtime_error("entry 'order' is not a permutation of the " + std::to_string(n) +
                                 " samples (it holds " + std::to_string(index) +
                                 (index < 0 || index >= n ? ")" : " twice)"));
      }
      seen[static_cast<size_t>(index)] = true;
    }
    epoch_ = epoch;
    position_ = position;
    epoch_started_ = started;
    if (started) order_ = std::move(order);
  } catch (const std::runtime_error& error) {
    throw std::runtime_error(owner + ": " + error.what());
  }
}

int64_t DataLoader::batches_per_epoch() const {
  const int64_t n = data_.size();
  return drop_last_ ? n / batch_size_ : (n + batch_size_ - 1) / batch_size_;
}

}  // namespace nnlab
