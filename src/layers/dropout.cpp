#include "nnlab/layers/dropout.h"

#include <cmath>
#include <stdexcept>

#include "nnlab/kernels/threads.h"
#include "spec_number.h"

namespace nnlab {

namespace {

// SplitMix64's output function (Steele, Lea & Flood, 2014): a well-mixed 64-bit
// value from each counter, so element i's draw needs no state from element i − 1.
inline uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

constexpr uint64_t kGolden = 0x9e3779b97f4a7c15ULL;  // 2⁶⁴/φ, SplitMix64's counter step

// For i in [begin, end): mask_i = scale when element i's draw is below keep_below, else 0;
// y_i = x_i · mask_i. A function of its own so that scale is a plain value: read from a
// lambda's captures, GCC reloads it after every store and does not vectorise the loop.
template <typename T>
void draw_mask(uint64_t key, uint64_t keep_below, T scale, const T* x, T* mask, T* y, int64_t begin, int64_t end) {
#pragma omp simd
  for (int64_t i = begin; i < end; ++i) {
    mask[i] = mix64(key + static_cast<uint64_t>(i) * kGolden) < keep_below ? scale : T(0);
    y[i] = x[i] * mask[i];
  }
}

}  // namespace

template <typename T>
Dropout<T>::Dropout(double p, uint64_t seed) : p_(p), rng_(seed) {
  if (!(p >= 0 && p < 1)) {
    throw std::invalid_argument("Dropout probability must be in [0, 1), got " + detail::spec_number(p));
  }
}

template <typename T>
std::string Dropout<T>::spec() const {
  return "dropout:" + detail::spec_number(p_);
}

template <typename T>
const Tensor<T>& Dropout<T>::forward(const Tensor<T>& x) {
  masked_ = this->training() && p_ > 0;
  if (!masked_) return x;
  if (output_.shape() != x.shape()) output_.resize(x.shape());
  if (frozen_ && mask_.shape() == x.shape()) {
    const T* in = x.data();
    const T* mask = mask_.data();
    T* y = output_.data();
    parallel_for(x.size(), [&](int64_t begin, int64_t end) {
#pragma omp simd
      for (int64_t i = begin; i < end; ++i) y[i] = in[i] * mask[i];
    });
    return output_;
  }
  if (mask_.shape() != x.shape()) mask_.resize(x.shape());

  // Keep element i when its 64-bit draw, read as u·2⁶⁴ with u uniform in [0, 1), is below (1 − p)·2⁶⁴.
  // (For p below 2⁻⁵³, 1 − p rounds to 1 and the threshold to 2⁶⁴, past uint64_t: keep all but 1 in 2⁶⁴.)
  const double threshold = std::ldexp(1.0 - p_, 64);
  const uint64_t keep_below = threshold >= 0x1p64 ? UINT64_MAX : static_cast<uint64_t>(threshold);
  const uint64_t key = rng_.next_seed();
  const T scale = static_cast<T>(1.0 / (1.0 - p_));
  const T* in = x.data();
  T* mask = mask_.data();
  T* y = output_.data();
  parallel_for(x.size(),
               [&](int64_t begin, int64_t end) { draw_mask(key, keep_below, scale, in, mask, y, begin, end); });
  return output_;
}

template <typename T>
const Tensor<T>& Dropout<T>::backward(const Tensor<T>& dy) {
  if (!masked_) return dy;
  if (dy.shape() != mask_.shape()) {
    throw std::invalid_argument("Dropout backward expects gradient " + mask_.shape().str() + ", got " +
                                dy.shape().str());
  }
  if (!this->needs_input_grad()) return input_grad_;
  if (input_grad_.shape() != dy.shape()) input_grad_.resize(dy.shape());
  const T* g = dy.data();
  const T* mask = mask_.data();
  T* dx = input_grad_.data();
  parallel_for(dy.size(), [&](int64_t begin, int64_t end) {
#pragma omp simd
    for (int64_t i = begin; i < end; ++i) dx[i] = g[i] * mask[i];
  });
  return input_grad_;
}

template <typename T>
void Dropout<T>::initialize(const Initializer& /*init*/, Rng& rng) {
  rng_ = Rng(rng.next_seed());
}

template class Dropout<float>;
template class Dropout<double>;

}  // namespace nnlab
