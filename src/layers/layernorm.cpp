#include "nnlab/layers/layernorm.h"

#include <cmath>
#include <stdexcept>

#include "nnlab/kernels/threads.h"
#include "spec_number.h"

namespace nnlab {

namespace {

// dx for one sample from dy, x̂ and 1/σ = scale:
//   dx = (1/σ)·(γ·dy − mean(γ·dy) − x̂·mean(γ·dy·x̂))
// (the header's formula divided through by D). A function of its own, not the body of
// backward's parallel_for: there GCC kept the sums in memory and took twice as long.
template <typename T>
void input_grad_row(const T* g, const T* x_hat, const T* gamma, T scale, int64_t d, T* dx) {
  double sum_g = 0;        // Σ γ·dy
  double sum_g_x_hat = 0;  // Σ γ·dy·x̂
#pragma omp simd reduction(+ : sum_g, sum_g_x_hat)
  for (int64_t j = 0; j < d; ++j) {
    const double gj = gamma[j] * g[j];
    sum_g += gj;
    sum_g_x_hat += gj * x_hat[j];
  }
  const T mean_g = static_cast<T>(sum_g / static_cast<double>(d));
  const T mean_g_x_hat = static_cast<T>(sum_g_x_hat / static_cast<double>(d));
#pragma omp simd
  for (int64_t j = 0; j < d; ++j) dx[j] = scale * (gamma[j] * g[j] - mean_g - x_hat[j] * mean_g_x_hat);
}

}  // namespace

template <typename T>
LayerNorm<T>::LayerNorm(int64_t normalized_size, double eps) : LayerNorm(Shape{normalized_size}, eps) {}

template <typename T>
LayerNorm<T>::LayerNorm(const Shape& normalized_shape, double eps)
    : normalized_size_(normalized_shape.numel()),
      eps_(eps),
      gamma_(normalized_shape, T(1)),
      beta_(normalized_shape, T(0)),
      gamma_grad_(normalized_shape),
      beta_grad_(normalized_shape) {
  if (normalized_shape.rank() == 0 || normalized_size_ <= 0) {
    throw std::invalid_argument(
        "LayerNorm needs a positive number of features, got " +
        (normalized_shape.rank() == 1 ? std::to_string(normalized_size_) : "shape " + normalized_shape.str()));
  }
  if (!(eps > 0) || !std::isfinite(eps)) {
    throw std::invalid_argument("LayerNorm eps must be a finite number > 0, got " + detail::spec_number(eps));
  }
}

template <typename T>
std::string LayerNorm<T>::spec() const {
  return eps_ == 1e-5 ? "layernorm" : "layernorm:eps=" + detail::spec_number(eps_);
}

template <typename T>
Shape LayerNorm<T>::output_shape(const Shape& input_sample) const {
  if (input_sample.numel() != normalized_size_) {
    throw std::invalid_argument("LayerNorm expects samples of " + std::to_string(normalized_size_) + " elements, got " +
                                input_sample.str());
  }
  return input_sample;
}

template <typename T>
const Tensor<T>& LayerNorm<T>::forward(const Tensor<T>& x) {
  if (x.rank() < 2 || x.row_size() != normalized_size_) {
    throw std::invalid_argument("LayerNorm expects samples of " + std::to_string(normalized_size_) +
                                " elements, got input " + x.shape().str());
  }
  const int64_t n = x.rows();
  const int64_t d = normalized_size_;
  if (normalized_.shape() != x.shape()) normalized_.resize(x.shape());
  if (output_.shape() != x.shape()) output_.resize(x.shape());
  if (inv_std_.size() != n) inv_std_.resize(Shape{n});

  const T* gamma = gamma_.data();
  const T* beta = beta_.data();
  parallel_for(n, x.size(), [&](int64_t first, int64_t last) {
    for (int64_t r = first; r < last; ++r) {
      const T* in = x.row(r);
      T* x_hat = normalized_.row(r);
      T* y = output_.row(r);
      double sum = 0;
#pragma omp simd reduction(+ : sum)
      for (int64_t j = 0; j < d; ++j) sum += in[j];
      const double mean = sum / static_cast<double>(d);
      double squares = 0;
#pragma omp simd reduction(+ : squares)
      for (int64_t j = 0; j < d; ++j) {
        const double deviation = in[j] - mean;
        squares += deviation * deviation;
      }
      const double inv_std = 1.0 / std::sqrt(squares / static_cast<double>(d) + eps_);
      inv_std_[r] = static_cast<T>(inv_std);
      const T mu = static_cast<T>(mean);
      const T scale = static_cast<T>(inv_std);
#pragma omp simd
      for (int64_t j = 0; j < d; ++j) {
        x_hat[j] = (in[j] - mu) * scale;
        y[j] = gamma[j] * x_hat[j] + beta[j];
      }
    }
  });
  return output_;
}

template <typename T>
const Tensor<T>& LayerNorm<T>::backward(const Tensor<T>& dy) {
  if (normalized_.rank() == 0) throw std::logic_error("LayerNorm::backward called before forward");
  if (dy.shape() != normalized_.shape()) {
    throw std::invalid_argument("LayerNorm backward expects gradient " + normalized_.shape().str() + ", got " +
                                dy.shape().str());
  }
  const int64_t n = dy.rows();
  const int64_t d = normalized_size_;
  const T* gamma = gamma_.data();

  // Parameter gradients: sums over the samples, one row at a time so the inner loop runs along memory.
  if (!this->begin_gradient_sum()) {
    gamma_grad_.fill(T(0));
    beta_grad_.fill(T(0));
  }
  T* dgamma = gamma_grad_.data();
  T* dbeta = beta_grad_.data();
  for (int64_t r = 0; r < n; ++r) {
    const T* g = dy.row(r);
    const T* x_hat = normalized_.row(r);
#pragma omp simd
    for (int64_t j = 0; j < d; ++j) {
      dgamma[j] += g[j] * x_hat[j];
      dbeta[j] += g[j];
    }
  }
  if (!this->needs_input_grad()) return input_grad_;

  if (input_grad_.shape() != dy.shape()) input_grad_.resize(dy.shape());
  parallel_for(n, dy.size(), [&](int64_t first, int64_t last) {
    for (int64_t r = first; r < last; ++r) {
      input_grad_row(dy.row(r), normalized_.row(r), gamma, inv_std_[r], d, input_grad_.row(r));
    }
  });
  return input_grad_;
}

template <typename T>
std::vector<Parameter<T>> LayerNorm<T>::parameters() {
  return {{"weight", &gamma_, &gamma_grad_, false}, {"bias", &beta_, &beta_grad_, false}};
}

template <typename T>
void LayerNorm<T>::initialize(const Initializer& /*init*/, Rng& /*rng*/) {
  gamma_.fill(T(1));
  beta_.fill(T(0));
}

template class LayerNorm<float>;
template class LayerNorm<double>;

}  // namespace nnlab
