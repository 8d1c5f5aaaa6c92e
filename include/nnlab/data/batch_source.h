#pragma once
// Where the Trainer's mini-batches come from, and data that is read anew each epoch.
//
//   BatchSource: an epoch of batches at a time (DataLoader over a Dataset in memory; a
//                TableStreamLoader over a CSV file larger than memory). Stateful: its state
//                dict is its place in the data, so that a checkpointed run resumes mid-epoch.
//   DataStream:  data too large for memory, as a Dataset stands for data in memory: its size
//                and shapes, a share of it split off (validation data), and loaders over it.

#include <cstdint>
#include <memory>

#include "nnlab/state/stateful.h"
#include "nnlab/tensor/random.h"
#include "nnlab/tensor/tensor.h"

namespace nnlab {

class BatchSource : public Stateful {
 public:
  // Starts a new epoch (a new order when shuffling, drawn from the source's Rng).
  virtual void start_epoch() = 0;
  // Fills the next batch into x and y (x: batch×sample shape; y: class indices [batch], or
  // batch×targets); false when the epoch is over. The first call starts the first epoch if
  // start_epoch() has not been called.
  virtual bool next(Tensor<float>& x, Tensor<float>& y) = 0;

  virtual int64_t batch_size() const = 0;
  virtual int64_t batches_per_epoch() const = 0;
  // Samples per epoch.
  virtual int64_t samples() const = 0;
  // Samples of the current epoch handed out so far.
  virtual int64_t position() const = 0;
  // Classes of a classification (0: regression).
  virtual int num_classes() const = 0;
  virtual Shape sample_shape() const = 0;
};

class DataStream {
 public:
  virtual ~DataStream() = default;
  virtual int64_t size() const = 0;
  virtual int num_classes() const = 0;  // 0: regression
  bool classification() const { return num_classes() > 0; }
  // The model's outputs: one per class, or one per target value.
  virtual int64_t outputs() const = 0;
  virtual Shape sample_shape() const = 0;

  // This stream's samples in two parts, of about (1 − share) and share of them, chosen
  // without drawing from any generator (the same parts every time).
  struct Parts {
    std::unique_ptr<DataStream> first, second;
  };
  virtual Parts split(double share) const = 0;
  // Batches over the samples; `rng` (kept by reference: it must outlive the loader) orders
  // each epoch when shuffling. The loader keeps what else it needs of the stream.
  virtual std::unique_ptr<BatchSource> loader(int64_t batch_size, Rng& rng, bool shuffle) const = 0;
};

}  // namespace nnlab
