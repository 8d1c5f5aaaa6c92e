#pragma once
// DataLoader: mini-batches of a dataset, reshuffled every epoch with a seeded Rng.
//
//   DataLoader loader(train, 128, rng);
//   for (int epoch = 0; epoch < epochs; ++epoch) {
//     loader.start_epoch();
//     while (loader.next(x, y)) { ... }
//   }
//
// batch_size == dataset size gives full-batch gradient descent (a larger batch
// size is clamped to the dataset size); 1 gives online learning. The last batch
// of an epoch may be smaller (drop_last = false) or dropped. The loader keeps
// references to `data` and `rng`: both must outlive it.
//
// Its state dict is its place in the data: "epoch" (epochs started), "position"
// (samples of the epoch handed out), "order" (the epoch's permutation), and, to
// check that it is loaded into the same kind of loader, "batch_size", "shuffle"
// and "drop_last". A loader restored mid-epoch gives the rest of that epoch's
// batches, then the same next epochs, provided the Rng is restored too: it is
// not the loader's own (save it beside the loader's state).

#include <cstdint>
#include <vector>

#include "nnlab/data/batch_source.h"
#include "nnlab/data/dataset.h"

namespace nnlab {

class DataLoader final : public BatchSource {
 public:
  DataLoader(const Dataset& data, int64_t batch_size, Rng& rng, bool shuffle = true, bool drop_last = false);

  // Starts a new epoch: a new permutation when shuffling.
  void start_epoch() override;
  // Fills the next batch into x and y (allocation-free once they have reached the
  // batch size); false when the epoch is over. The first call starts the first
  // epoch if start_epoch() has not been called.
  bool next(Tensor<float>& x, Tensor<float>& y) override;

  int64_t batch_size() const override { return batch_size_; }
  int64_t batches_per_epoch() const override;
  int64_t samples() const override { return data_.size(); }
  int num_classes() const override { return data_.num_classes; }
  Shape sample_shape() const override { return data_.sample_shape(); }
  const Dataset& dataset() const { return data_; }
  // Epochs started so far (the first call of next() starts one if needed).
  int64_t epoch() const { return epoch_; }
  // Samples of the current epoch handed out so far.
  int64_t position() const override { return position_; }

  StateDict state_dict() const override;
  // Throws std::runtime_error naming the entry when the state is of a loader with
  // another batch size, shuffling or drop_last, or over a dataset of another size,
  // or when "order" is not a permutation of the samples.
  void load_state_dict(const StateDict& state) override;

 private:
  const Dataset& data_;
  int64_t batch_size_;
  Rng& rng_;
  bool shuffle_;
  bool drop_last_;
  std::vector<int64_t> order_;
  int64_t position_ = 0;
  int64_t epoch_ = 0;
  bool epoch_started_ = false;
};

}  // namespace nnlab
