#pragma once
// DataParallel: data-parallel training over the ranks of a Communicator, as PyTorch's
// DistributedDataParallel and Horovod do it, for the Trainer.
//
// Every rank runs the same loader on the same seed, so every rank sees the same global batch
// (the one a single process would see, with the same augmentation); each trains on its shard of
// the batch's rows (rank r of N: rows [r·B/N, (r+1)·B/N)), with its loss scaled by its share of
// the rows, and allreduce sums the gradients: the sum is the gradient of the global batch's mean
// loss, that of one process up to the float rounding of the sums, also when B does not divide
// by N (a rank with no rows adds zeros).
//
// The parameters start from rank 0's (broadcast). BatchNorm normalises with each shard's own
// statistics (PyTorch's default); its running statistics are rank 0's, broadcast before every
// evaluation, so that every rank evaluates the same model. Layers that draw while training
// (Dropout) draw from a generator of each rank's own.

#include <chrono>
#include <cstdint>
#include <vector>

#include "nnlab/distributed/communicator.h"
#include "nnlab/model/module.h"
#include "nnlab/tensor/tensor.h"

namespace nnlab {

class DataParallel {
 public:
  DataParallel(Communicator& communicator, Module<float>& model);

  Communicator& communicator() { return communicator_; }

  // Rank 0's parameters and buffers on every rank; every rank but 0 then reseeds the model's
  // generators (Dropout) from its own, so that the shards' masks differ.
  void start();
  // This rank's rows of a global batch (inputs or targets) into `shard` (which keeps its capacity).
  void shard(const Tensor<float>& batch, Tensor<float>& shard) const;
  // Sums the gradients over the ranks (one flat buffer, one allreduce). `computed`: whether
  // this rank ran any backward since zero_grad (else it adds zeros).
  void allreduce_gradients(bool computed);
  // Sums `values` (a step's loss and counts, the ranks' requests to stop) over the ranks.
  void allreduce(std::span<double> values);
  // Rank 0's buffers (BatchNorm's running statistics and batch counts) on every rank.
  void broadcast_buffers();
  // Seconds this rank spent in exchanges so far (waiting for the others included).
  double communication_seconds() const { return seconds_; }

 private:
  void broadcast_parameters();

  Communicator& communicator_;
  Module<float>& model_;
  std::vector<Parameter<float>> parameters_;
  std::vector<float> flat_;  // every gradient, one after another
  double seconds_ = 0;
};

// Makes every BatchNorm of `model` normalise with statistics over the communicator's ranks
// (--sync-batchnorm; layers/batchnorm.h); returns how many there are.
int synchronize_batchnorm(Module<float>& model, Communicator& communicator);

}  // namespace nnlab
