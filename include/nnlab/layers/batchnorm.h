#pragma once
// Batch normalisation (Ioffe & Szegedy, 2015), PyTorch's BatchNorm1d/BatchNorm2d.
//
// Input N×C (dense: C features) or N×C×H×W (images: C channels); also N×C×L.
// Each channel c is normalised over the M values it takes in the batch
// (M = N for dense input, M = N·H·W for images), then scaled and shifted:
//   μ_c = (1/M) Σ x          σ²_c = (1/M) Σ (x − μ_c)²   (biased: used to normalise)
//   x̂ = (x − μ_c) / √(σ²_c + eps)
//   y = γ_c · x̂ + β_c
// On images PyTorch (and nnlab) normalise per channel over N, H and W, so γ and β
// have C elements; the textbook's BatchNormalization normalises each activation
// (c, h, w) on its own over N, with C·H·W statistics.
//
// Running statistics, used instead of the batch's in eval mode, follow PyTorch:
//   running_mean = (1 − momentum)·running_mean + momentum·μ
//   running_var  = (1 − momentum)·running_var  + momentum·σ²·M/(M − 1)   (unbiased)
// so momentum 0.1 here is the textbook's momentum 0.9 (running = 0.9·running + 0.1·batch),
// and the textbook also uses eps 1e-6 where PyTorch uses 1e-5.
//
// Saved under PyTorch's names, so that a model file loads into nn.Sequential with
// load_state_dict(strict=True): γ as weight, β as bias, running_mean, running_var,
// and num_batches_tracked (int64), the number of training-mode forwards.
//
// Backward, with σ = √(σ²_c + eps) and sums over the channel's M values:
//   dβ = Σ dy      dγ = Σ dy·x̂
//   dx = (γ/σ)/M · (M·dy − Σ dy − x̂·Σ dy·x̂)
// In eval mode the statistics are constants: dx = γ/σ · dy.
//
// Training needs more than one value per channel (M > 1), as in PyTorch: a batch of one
// dense sample is an std::invalid_argument (every x̂ would be 0). Eval takes any batch.
//
// Synchronised (PyTorch's SyncBatchNorm, data-parallel training under mpirun --sync-batchnorm):
// in training mode the sums Σx, Σ(x − μ)², Σdy and Σdy·x̂ and the count M are summed over the
// ranks, so that every rank normalises its shard with the global batch's statistics, as one
// process would; dβ and dγ stay the shard's own (DataParallel sums the gradients). Every rank
// must then run every training forward and backward, with at least one sample each.

#include "nnlab/layers/layer.h"

namespace nnlab {

class Communicator;

template <typename T>
class BatchNorm final : public Layer<T> {
 public:
  explicit BatchNorm(int64_t num_features, double eps = 1e-5, double momentum = 0.1);

  std::string type() const override { return "BatchNorm"; }
  // "batchnorm", with ":eps=E" and ":momentum=M" where they differ from the defaults.
  std::string spec() const override;
  Shape output_shape(const Shape& input_sample) const override;

  const Tensor<T>& forward(const Tensor<T>& x) override;
  const Tensor<T>& backward(const Tensor<T>& dy) override;
  // Per channel: any layout (channel blocks included), kept.
  bool takes_channel_blocks() const override { return true; }
  // A following ReLU, applied in the pass that writes y (Module::set_relu_out); backward then masks
  // the ReLU's gradient itself, by y recomputed from x (it reads x anyway), and the ReLU passes it on.
  bool takes_relu_out() const override { return true; }
  bool relu_out_masks_gradient() const override { return true; }
  // weight (γ) and bias (β), without weight decay.
  std::vector<Parameter<T>> parameters() override;
  // γ = 1, β = 0, running mean 0, running variance 1, no batches tracked, whatever the initialiser.
  void initialize(const Initializer& init, Rng& rng) override;
  // running_mean and running_var.
  std::vector<std::pair<std::string, Tensor<T>*>> buffers() override;
  // num_batches_tracked.
  std::vector<std::pair<std::string, int64_t*>> integer_buffers() override;

  int64_t num_features() const { return num_features_; }
  double eps() const { return eps_; }
  double momentum() const { return momentum_; }
  Tensor<T>& gamma() { return gamma_; }
  Tensor<T>& beta() { return beta_; }
  Tensor<T>& running_mean() { return running_mean_; }
  Tensor<T>& running_var() { return running_var_; }
  int64_t num_batches_tracked() const { return num_batches_tracked_; }
  // Statistics over the communicator's ranks (nullptr: this process's batch alone, the default).
  void synchronize(Communicator* communicator) { sync_ = communicator; }

 private:
  void check_input(const Tensor<T>& x) const;

  int64_t num_features_;
  double eps_;
  double momentum_;
  Tensor<T> gamma_, beta_, gamma_grad_, beta_grad_;
  Tensor<T> running_mean_, running_var_;
  int64_t num_batches_tracked_ = 0;
  // Kept by forward: its input x (backward computes x̂ from it), 1/σ per channel, and whether
  // batch statistics were used.
  const Tensor<T>* input_ = nullptr;
  Tensor<T> inv_std_;
  bool used_batch_stats_ = false;
  bool relu_applied_ = false;  // whether forward applied the ReLU after it (Module::set_relu_out)
  // Per-channel sums (Σx, Σ(x − μ)², Σdy, Σdy·x̂), accumulated in double, and μ.
  Tensor<double> sum_, second_sum_;
  Tensor<T> mean_;
  // Values per channel per sample: 1 for dense input, H·W for images. Channel c of
  // sample n is the block x[(n·C + c)·spatial, (n·C + c + 1)·spatial).
  int64_t spatial_ = 0;
  Tensor<T> output_, input_grad_;
  Communicator* sync_ = nullptr;
  std::vector<double> exchange_;    // the sums sent to the other ranks: 2·C values
  std::vector<double> chunk_sums_;  // the sums' parts over a channel-blocked batch (batchnorm_loops.inc)
  double count_ = 0;                // M, over the ranks when synchronised
};

}  // namespace nnlab
