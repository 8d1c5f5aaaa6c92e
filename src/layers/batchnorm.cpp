#include "nnlab/layers/batchnorm.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <type_traits>

#include "../kernels/isa_target.h"
#include "nnlab/distributed/communicator.h"
#include "nnlab/kernels/isa.h"
#include "nnlab/kernels/threads.h"
#include "nnlab/layers/relu.h"
#include "spec_number.h"

namespace nnlab {

namespace {

// No second sum (sums_per_channel's Second).
struct NoTerm {};

namespace generic {
constexpr int kLanes = 16;  // four SSE vectors
#include "batchnorm_loops.inc"
}  // namespace generic

}  // namespace
NNLAB_BEGIN_AVX2
namespace {
namespace avx2 {
constexpr int kLanes = 32;  // four AVX vectors
#include "batchnorm_loops.inc"
}  // namespace avx2
}  // namespace
NNLAB_END_TARGET
NNLAB_BEGIN_AVX512
namespace {
namespace avx512 {
constexpr int kLanes = 32;  // two AVX-512 vectors (blocks of 7×7 = 49 values are common)
#include "batchnorm_loops.inc"
}  // namespace avx512
}  // namespace
NNLAB_END_TARGET

namespace {
// y = γ·x̂ + β with x̂ = (x − μ)·(1/σ), for forward and for backward's ReLU mask: the same operations,
// so the same bits (the build does not contract them into FMAs: ISO C++, -ffp-contract=off).
template <typename T>
inline T normalized_output(T value, T mean, T inv_std, T gamma, T beta) {
  const T normalized = (value - mean) * inv_std;
  return gamma * normalized + beta;
}

// out[c] = the mean of channel c over the first sample of x (N×C×spatial, in blocks of `block`
// channels or NCHW for 0): BatchNorm's shift for its one-pass sums.
template <typename T>
void first_sample_means(const T* x, int64_t block, int64_t channels, int64_t spatial, T* out) {
  for (int64_t c = 0; c < channels; ++c) {
    double sum = 0;
    for (int64_t s = 0; s < spatial; ++s) {
      sum += block > 0 ? x[((c / block) * spatial + s) * block + c % block] : x[c * spatial + s];
    }
    out[c] = static_cast<T>(sum / static_cast<double>(spatial));
  }
}

// f(std::true_type{}) or f(std::false_type{}): a run-time choice made once, outside the loops.
template <typename F>
void with_choice(bool choice, F&& f) {
  if (choice) {
    f(std::true_type{});
  } else {
    f(std::false_type{});
  }
}

// Runs f(loops) with the loops of the variant kernel_isa() chose, for the layout `block`
// (Tensor::channel_block; scratch: 2·kChunks·C doubles for its sums): loops.sums(...),
// loops.map(...).
template <typename F>
void with_loops(int64_t block, double* scratch, F&& f) {
  switch (kernel_isa()) {
    case KernelIsa::avx512:
      f(avx512::Loops{block, scratch});
      return;
    case KernelIsa::avx2:
      f(avx2::Loops{block, scratch});
      return;
    default:
      f(generic::Loops{block, scratch});
  }
}
}  // namespace

template <typename T>
BatchNorm<T>::BatchNorm(int64_t num_features, double eps, double momentum)
    : num_features_(num_features),
      eps_(eps),
      momentum_(momentum),
      gamma_(Shape{num_features}, T(1)),
      beta_(Shape{num_features}, T(0)),
      gamma_grad_(Shape{num_features}),
      beta_grad_(Shape{num_features}),
      running_mean_(Shape{num_features}, T(0)),
      running_var_(Shape{num_features}, T(1)),
      inv_std_(Shape{num_features}),
      sum_(Shape{num_features}),
      second_sum_(Shape{num_features}),
      mean_(Shape{num_features}) {
  if (num_features <= 0) {
    throw std::invalid_argument("BatchNorm needs a positive number of features, got " + std::to_string(num_features));
  }
  if (!(eps > 0) || !std::isfinite(eps)) {
    throw std::invalid_argument("BatchNorm eps must be a finite number > 0, got " + detail::spec_number(eps));
  }
  if (!(momentum >= 0 && momentum <= 1)) {
    throw std::invalid_argument("BatchNorm momentum must be in [0, 1], got " + detail::spec_number(momentum));
  }
}

template <typename T>
std::string BatchNorm<T>::spec() const {
  std::string text = "batchnorm";
  if (eps_ != 1e-5) text += ":eps=" + detail::spec_number(eps_);
  if (momentum_ != 0.1) text += ":momentum=" + detail::spec_number(momentum_);
  return text;
}

template <typename T>
Shape BatchNorm<T>::output_shape(const Shape& input_sample) const {
  if (input_sample.rank() < 1 || input_sample[0] != num_features_) {
    throw std::invalid_argument("BatchNorm expects samples of " + std::to_string(num_features_) +
                                " features (F) or channels (C×H×W), got " + input_sample.str());
  }
  return input_sample;
}

template <typename T>
void BatchNorm<T>::check_input(const Tensor<T>& x) const {
  if (x.rank() < 2 || x.dim(1) != num_features_) {
    throw std::invalid_argument("BatchNorm expects input N×" + std::to_string(num_features_) + " or N×" +
                                std::to_string(num_features_) + "×H×W, got " + x.shape().str());
  }
}

template <typename T>
const Tensor<T>& BatchNorm<T>::forward(const Tensor<T>& x) {
  check_input(x);
  const int64_t n = x.rows();
  const int64_t channels = num_features_;
  spatial_ = x.row_size() / channels;
  const int64_t local_m = n * spatial_;  // values per channel
  const bool synchronised = sync_ != nullptr && this->training();
  if (synchronised && exchange_.size() != static_cast<size_t>(2 * channels)) {
    exchange_.assign(static_cast<size_t>(2 * channels), 0.0);
  }
  if (this->training() && local_m <= 1 && !synchronised) {
    throw std::invalid_argument("BatchNorm expected more than 1 value per channel when training, got input " +
                                x.shape().str() + " (use a batch of at least 2, or eval mode)");
  }
  used_batch_stats_ = this->training();
  input_ = &x;
  if (output_.shape() != x.shape()) output_.resize(x.shape());
  const int64_t block = x.channel_block();  // the layout, kept (Tensor::channel_block)
  output_.set_channel_block(block);
  if (block > 0) chunk_sums_.resize(static_cast<size_t>(2 * generic::kChunks * channels));

  const T* in = x.data();
  T* mean = mean_.data();
  T* inv_std = inv_std_.data();
  if (used_batch_stats_) {
    double m = static_cast<double>(local_m);
    if (synchronised) {
      // Two passes (μ over the ranks, then Σ(x − μ)²): a shift as below would have to be the same on every rank.
      with_loops(block, chunk_sums_.data(), [&](auto loops) {
        loops.sums(
            in, in, n, channels, spatial_, sum_.data(), nullptr, [](T value, T, int64_t) { return value; }, NoTerm{});
      });
      std::copy(sum_.begin(), sum_.end(), exchange_.begin());
      exchange_[static_cast<size_t>(channels)] = m;
      sync_->allreduce_sum(std::span<double>(exchange_.data(), static_cast<size_t>(channels) + 1));
      std::copy(exchange_.begin(), exchange_.begin() + channels, sum_.begin());
      m = exchange_[static_cast<size_t>(channels)];
      if (m <= 1) {
        throw std::invalid_argument("BatchNorm expected more than 1 value per channel when training, got " +
                                    std::to_string(static_cast<int64_t>(m)) + " over the ranks");
      }
      for (int64_t c = 0; c < channels; ++c) mean[c] = static_cast<T>(sum_[c] / m);
      with_loops(block, chunk_sums_.data(), [&](auto loops) {
        loops.sums(
            in, in, n, channels, spatial_, second_sum_.data(), nullptr,
            [=](T value, T, int64_t c) {
              const T deviation = value - mean[c];
              return deviation * deviation;
            },
            NoTerm{});
      });
      sync_->allreduce_sum(second_sum_.span());
    } else {
      // One pass, about a shift K per channel near μ (the mean of the channel over the first sample):
      // Σ(x − K) and Σ(x − K)², then μ = K + Σ(x − K)/M and Σ(x − μ)² = Σ(x − K)² − M·(μ − K)². About
      // K = 0 the difference would cancel for inputs far from 0 (Σx²/M − μ²); about K it does not.
      T* shift = mean;  // K, then μ
      first_sample_means(in, block, channels, spatial_, shift);
      with_loops(block, chunk_sums_.data(), [&](auto loops) {
        loops.sums(
            in, in, n, channels, spatial_, sum_.data(), second_sum_.data(),
            [=](T value, T, int64_t c) { return value - shift[c]; },
            [=](T value, T, int64_t c) {
              const T deviation = value - shift[c];
              return deviation * deviation;
            });
      });
      for (int64_t c = 0; c < channels; ++c) {
        const double offset = sum_[c] / m;  // μ − K
        second_sum_[c] = std::max(0.0, second_sum_[c] - m * offset * offset);
        mean[c] = static_cast<T>(static_cast<double>(shift[c]) + offset);
      }
    }
    count_ = m;
    for (int64_t c = 0; c < channels; ++c) {
      const double biased_var = second_sum_[c] / count_;
      const double unbiased_var = second_sum_[c] / (count_ - 1);
      inv_std[c] = static_cast<T>(1.0 / std::sqrt(biased_var + eps_));
      running_mean_[c] = static_cast<T>((1 - momentum_) * running_mean_[c] + momentum_ * mean[c]);
      running_var_[c] = static_cast<T>((1 - momentum_) * running_var_[c] + momentum_ * unbiased_var);
    }
    ++num_batches_tracked_;
  } else {
    for (int64_t c = 0; c < channels; ++c) {
      mean[c] = running_mean_[c];
      inv_std[c] = static_cast<T>(1.0 / std::sqrt(static_cast<double>(running_var_[c]) + eps_));
    }
  }

  // y = γ·x̂ + β with x̂ = (x − μ)/σ; backward computes x̂ again from x rather than reading a
  // stored copy: one pass over memory fewer in forward (a write of the size of x).
  const T* gamma = gamma_.data();
  const T* beta = beta_.data();
  T* y = output_.data();
  relu_applied_ = this->relu_out();  // a ReLU next, applied here (Module::set_relu_out)
  with_loops(block, chunk_sums_.data(), [&](auto loops) {
    with_choice(relu_applied_, [&](auto relu) {
      loops.map(in, in, y, n, channels, spatial_, [=](T value, T, int64_t c) {
        const T out = normalized_output(value, mean[c], inv_std[c], gamma[c], beta[c]);
        if constexpr (decltype(relu)::value) return rectify(out);
        return out;
      });
    });
  });
  return output_;
}

template <typename T>
const Tensor<T>& BatchNorm<T>::backward(const Tensor<T>& dy) {
  if (input_ == nullptr) throw std::logic_error("BatchNorm::backward called before forward");
  if (dy.shape() != output_.shape()) {
    throw std::invalid_argument("BatchNorm backward expects gradient " + output_.shape().str() + ", got " +
                                dy.shape().str());
  }
  const int64_t block = output_.channel_block();
  if (dy.channel_block() != block) {
    throw std::logic_error("BatchNorm backward expects its gradient in the layout of its output (channel block " +
                           std::to_string(block) + "), got channel block " + std::to_string(dy.channel_block()));
  }
  const int64_t n = dy.rows();
  const int64_t channels = num_features_;
  double m = static_cast<double>(n * spatial_);
  const T* g = dy.data();
  const T* x = input_->data();
  const T* mean = mean_.data();
  const T* inv_std = inv_std_.data();

  const T* gamma = gamma_.data();
  const T* beta = beta_.data();
  // With the ReLU applied in forward, dy is the ReLU's output gradient (ReLU::set_input_rectified):
  // dy·[y > 0] is this layer's, y recomputed from x as forward computed it.
  const auto output_grad = [=](auto relu) {
    return [=](T grad, T value, int64_t c) {
      if constexpr (decltype(relu)::value) {
        return normalized_output(value, mean[c], inv_std[c], gamma[c], beta[c]) > T(0) ? grad : T(0);
      }
      return grad;
    };
  };

  // dβ = Σ dy,  dγ = Σ dy·x̂  (x̂ = (x − μ)/σ, as forward computed it)
  double* sum_dy = sum_.data();
  double* sum_dy_x_hat = second_sum_.data();
  with_loops(block, chunk_sums_.data(), [&](auto loops) {
    with_choice(relu_applied_, [&](auto relu) {
      const auto grad_of = output_grad(relu);
      loops.sums(g, x, n, channels, spatial_, sum_dy, sum_dy_x_hat, grad_of, [=](T grad, T value, int64_t c) {
        return grad_of(grad, value, c) * ((value - mean[c]) * inv_std[c]);
      });
    });
  });
  const bool add = this->begin_gradient_sum();
  for (int64_t c = 0; c < channels; ++c) {
    beta_grad_[c] = static_cast<T>(sum_dy[c]) + (add ? beta_grad_[c] : T(0));
    gamma_grad_[c] = static_cast<T>(sum_dy_x_hat[c]) + (add ? gamma_grad_[c] : T(0));
  }
  if (!this->needs_input_grad()) return input_grad_;

  // Batch statistics: dx = (γ/σ)·(dy − mean(dy) − x̂·mean(dy·x̂)), the header's formula divided through by M.
  // Running statistics are constants: dx = (γ/σ)·dy, the same with both means taken as 0.
  if (sync_ != nullptr && used_batch_stats_) {
    // dx takes the global batch's sums (dβ and dγ above are this shard's: DataParallel sums them).
    std::copy(sum_dy, sum_dy + channels, exchange_.begin());
    std::copy(sum_dy_x_hat, sum_dy_x_hat + channels, exchange_.begin() + channels);
    sync_->allreduce_sum(std::span<double>(exchange_));
    std::copy(exchange_.begin(), exchange_.begin() + channels, sum_dy);
    std::copy(exchange_.begin() + channels, exchange_.end(), sum_dy_x_hat);
    m = count_;
  }
  double* mean_dy = sum_dy;  // the sums' buffers, reused
  double* mean_dy_x_hat = sum_dy_x_hat;
  for (int64_t c = 0; c < channels; ++c) {
    mean_dy[c] = used_batch_stats_ ? sum_dy[c] / m : 0.0;
    mean_dy_x_hat[c] = used_batch_stats_ ? sum_dy_x_hat[c] / m : 0.0;
  }
  if (input_grad_.shape() != dy.shape()) input_grad_.resize(dy.shape());
  input_grad_.set_channel_block(block);
  with_loops(block, chunk_sums_.data(), [&](auto loops) {
    with_choice(relu_applied_, [&](auto relu) {
      const auto grad_of = output_grad(relu);
      loops.map(g, x, input_grad_.data(), n, channels, spatial_, [=](T grad, T value, int64_t c) {
        const T normalized = (value - mean[c]) * inv_std[c];
        return gamma[c] * inv_std[c] * (grad_of(grad, value, c) - T(mean_dy[c]) - normalized * T(mean_dy_x_hat[c]));
      });
    });
  });
  return input_grad_;
}

template <typename T>
std::vector<Parameter<T>> BatchNorm<T>::parameters() {
  return {{"weight", &gamma_, &gamma_grad_, false}, {"bias", &beta_, &beta_grad_, false}};
}

template <typename T>
void BatchNorm<T>::initialize(const Initializer& /*init*/, Rng& /*rng*/) {
  gamma_.fill(T(1));
  beta_.fill(T(0));
  running_mean_.fill(T(0));
  running_var_.fill(T(1));
  num_batches_tracked_ = 0;
}

template <typename T>
std::vector<std::pair<std::string, Tensor<T>*>> BatchNorm<T>::buffers() {
  return {{"running_mean", &running_mean_}, {"running_var", &running_var_}};
}

template <typename T>
std::vector<std::pair<std::string, int64_t*>> BatchNorm<T>::integer_buffers() {
  return {{"num_batches_tracked", &num_batches_tracked_}};
}

template class BatchNorm<float>;
template class BatchNorm<double>;

}  // namespace nnlab
