#include "nnlab/layers/softmax.h"

#include <algorithm>
#include <cmath>

namespace nnlab {

template <typename T>
void softmax_rows(const T* x, T* y, int64_t rows, int64_t features) {
  for (int64_t r = 0; r < rows; ++r) {
    const T* in = x + r * features;
    T* out = y + r * features;
    const T max = *std::max_element(in, in + features);
    T sum = 0;
    for (int64_t j = 0; j < features; ++j) {
      out[j] = std::exp(in[j] - max);
      sum += out[j];
    }
    const T inv = T(1) / sum;
    for (int64_t j = 0; j < features; ++j) out[j] *= inv;
  }
}

template <typename T>
const Tensor<T>& Softmax<T>::forward(const Tensor<T>& x) {
  this->match(this->output_, x);
  softmax_rows(x.data(), this->output_.data(), x.rows(), x.row_size());
  return this->output_;
}

template <typename T>
const Tensor<T>& Softmax<T>::backward(const Tensor<T>& dy) {
  this->check_backward(dy);
  this->match(this->input_grad_, dy);
  const int64_t features = dy.row_size();
  for (int64_t r = 0; r < dy.rows(); ++r) {
    const T* y = this->output_.row(r);
    const T* g = dy.row(r);
    T* dx = this->input_grad_.row(r);
    T dot = 0;
    for (int64_t j = 0; j < features; ++j) dot += g[j] * y[j];
    for (int64_t j = 0; j < features; ++j) dx[j] = y[j] * (g[j] - dot);
  }
  return this->input_grad_;
}

template void softmax_rows<float>(const float*, float*, int64_t, int64_t);
template void softmax_rows<double>(const double*, double*, int64_t, int64_t);
template class Softmax<float>;
template class Softmax<double>;

}  // namespace nnlab
