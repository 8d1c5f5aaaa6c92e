#include "nnlab/layers/linear.h"

#include <stdexcept>

#include "nnlab/kernels/gemm.h"

namespace nnlab {

template <typename T>
Linear<T>::Linear(int64_t in_features, int64_t out_features, bool bias)
    : in_features_(in_features),
      out_features_(out_features),
      has_bias_(bias),
      weight_(Shape{out_features, in_features}),
      bias_(Shape{bias ? out_features : 0}),
      weight_grad_(Shape{out_features, in_features}),
      bias_grad_(Shape{bias ? out_features : 0}) {
  if (in_features <= 0 || out_features <= 0) {
    throw std::invalid_argument("Linear needs positive sizes, got in " + std::to_string(in_features) + ", out " +
                                std::to_string(out_features));
  }
}

template <typename T>
std::string Linear<T>::spec() const {
  return "linear:" + std::to_string(out_features_) + (has_bias_ ? "" : ":bias=false");
}

template <typename T>
Shape Linear<T>::output_shape(const Shape& input_sample) const {
  if (input_sample.numel() != in_features_) {
    throw std::invalid_argument("Linear expects " + std::to_string(in_features_) + " input features, got " +
                                input_sample.str());
  }
  return Shape{out_features_};
}

template <typename T>
const Tensor<T>& Linear<T>::forward(const Tensor<T>& x) {
  if (x.row_size() != in_features_) {
    throw std::invalid_argument("Linear expects " + std::to_string(in_features_) + " input features, got input " +
                                x.shape().str());
  }
  input_ = &x;
  const int64_t n = x.rows();
  output_.resize(Shape{n, out_features_});
  const double sparse_density = linear_sparse_input_density();
  input_is_sparse_ = sparse_density > 0 && !this->needs_input_grad() &&
                     sparse_input_.assign(x.data(), n, in_features_, sparse_density);
  if (input_is_sparse_) {
    sparse_input_.linear_forward(weight_.data(), has_bias_ ? bias_.data() : nullptr, out_features_, output_.data());
    return output_;
  }
  // y = x·Wᵀ + b, the bias added as the product is written out.
  gemm(Transpose::kNo, Transpose::kYes, n, out_features_, in_features_, T(1), x.data(), weight_.data(), T(0),
       output_.data(), has_bias_ ? bias_.data() : nullptr);
  return output_;
}

template <typename T>
const Tensor<T>& Linear<T>::backward(const Tensor<T>& dy) {
  if (input_ == nullptr) throw std::logic_error("Linear::backward called before forward");
  const Tensor<T>& x = *input_;
  const int64_t n = x.rows();
  if (dy.rows() != n || dy.row_size() != out_features_) {
    throw std::invalid_argument("Linear backward expects gradient [" + std::to_string(n) + ", " +
                                std::to_string(out_features_) + "], got " + dy.shape().str());
  }
  // dW += dyᵀ·x : (out×N)·(N×in)
  const bool add = this->begin_gradient_sum();
  if (input_is_sparse_) {
    if (add) {
      // The sparse kernel writes its result: into scratch, then added (sized once).
      if (weight_grad_scratch_.shape() != weight_grad_.shape()) weight_grad_scratch_.resize(weight_grad_.shape());
      sparse_input_.weight_grad(dy.data(), out_features_, weight_grad_scratch_.data());
      for (int64_t j = 0; j < weight_grad_.size(); ++j) weight_grad_[j] += weight_grad_scratch_[j];
    } else {
      sparse_input_.weight_grad(dy.data(), out_features_, weight_grad_.data());
    }
  } else {
    gemm(Transpose::kYes, Transpose::kNo, out_features_, in_features_, n, T(1), dy.data(), x.data(), T(add ? 1 : 0),
         weight_grad_.data());
  }
  if (has_bias_) {
    if (!add) bias_grad_.fill(T(0));
    T* db = bias_grad_.data();
    for (int64_t r = 0; r < n; ++r) {
      const T* g = dy.row(r);
      for (int64_t j = 0; j < out_features_; ++j) db[j] += g[j];
    }
  }
  if (this->needs_input_grad()) {
    // dx = dy·W : (N×out)·(out×in), in the input's shape
    input_grad_.resize(x.shape());
    gemm(Transpose::kNo, Transpose::kNo, n, in_features_, out_features_, T(1), dy.data(), weight_.data(), T(0),
         input_grad_.data());
  }
  return input_grad_;
}

template <typename T>
std::vector<Parameter<T>> Linear<T>::parameters() {
  std::vector<Parameter<T>> params{{"weight", &weight_, &weight_grad_, true}};
  if (has_bias_) params.push_back({"bias", &bias_, &bias_grad_, false});
  return params;
}

template <typename T>
void Linear<T>::initialize(const Initializer& init, Rng& rng) {
  init.fill(weight_, in_features_, out_features_, rng);
  bias_.fill(T(0));
}

template class Linear<float>;
template class Linear<double>;

}  // namespace nnlab
