#include "nnlab/losses/softmax_cross_entropy.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "nnlab/layers/softmax.h"

namespace nnlab {

template <typename T>
T SoftmaxCrossEntropy<T>::forward(const Tensor<T>& logits, const Tensor<T>& target) {
  const int64_t n = logits.rows();
  const int64_t classes = logits.row_size();
  target_is_index_ = target.rank() == 1;
  if (target_is_index_ ? target.size() != n : target.shape() != logits.shape()) {
    throw std::invalid_argument("cross-entropy: target " + target.shape().str() + " does not fit logits " +
                                logits.shape().str() + " (expected [" + std::to_string(n) + "] class indices or " +
                                logits.shape().str() + " probabilities)");
  }
  target_ = &target;
  if (probabilities_.shape() != logits.shape()) probabilities_.resize(logits.shape());
  double total = 0;
  for (int64_t r = 0; r < n; ++r) {
    const T* x = logits.row(r);
    const T max = *std::max_element(x, x + classes);
    // One exponential per logit: p = e^(x − m) / Σ e^(x − m).
    T* p = probabilities_.row(r);
    T sum = 0;
    for (int64_t j = 0; j < classes; ++j) {
      p[j] = std::exp(x[j] - max);
      sum += p[j];
    }
    const T inverse_sum = T(1) / sum;
    for (int64_t j = 0; j < classes; ++j) p[j] *= inverse_sum;
    const T log_sum = std::log(sum) + max;  // log Σ e^x
    if (target_is_index_) {
      const T t = target[r];
      const auto label = static_cast<int64_t>(t);
      if (label < 0 || label >= classes || static_cast<T>(label) != t) {
        throw std::invalid_argument("cross-entropy: target " + std::to_string(t) + " of sample " + std::to_string(r) +
                                    " is not a class index in 0.." + std::to_string(classes - 1));
      }
      total += log_sum - x[label];
    } else {
      const T* q = target.row(r);
      for (int64_t j = 0; j < classes; ++j) total += q[j] * (log_sum - x[j]);
    }
  }
  return static_cast<T>(total / static_cast<double>(n));
}

template <typename T>
const Tensor<T>& SoftmaxCrossEntropy<T>::backward(T upstream) {
  if (target_ == nullptr) throw std::logic_error("SoftmaxCrossEntropy::backward called before forward");
  const int64_t n = probabilities_.rows();
  const int64_t classes = probabilities_.row_size();
  if (input_grad_.shape() != probabilities_.shape()) input_grad_.resize(probabilities_.shape());
  const T scale = upstream / static_cast<T>(n);
  for (int64_t r = 0; r < n; ++r) {
    const T* p = probabilities_.row(r);
    T* dx = input_grad_.row(r);
    for (int64_t j = 0; j < classes; ++j) dx[j] = p[j] * scale;
    if (target_is_index_) {
      dx[static_cast<int64_t>((*target_)[r])] -= scale;
    } else {
      const T* q = target_->row(r);
      for (int64_t j = 0; j < classes; ++j) dx[j] -= q[j] * scale;
    }
  }
  return input_grad_;
}

template class SoftmaxCrossEntropy<float>;
template class SoftmaxCrossEntropy<double>;

}  // namespace nnlab
