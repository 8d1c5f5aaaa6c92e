#include "nnlab/model/residual.h"

#include <stdexcept>

#include "nnlab/kernels/channel_blocks.h"
#include "nnlab/kernels/threads.h"
#include "nnlab/layers/conv2d.h"
#include "nnlab/layers/linear.h"
#include "nnlab/layers/relu.h"

namespace nnlab {

template <typename T>
Residual<T>::Residual(Sequential<T> body, ModulePtr<T> shortcut)
    : body_(std::move(body)), shortcut_(std::move(shortcut)) {
  const Shape in = body_.input_shape();
  const Shape out = body_.output_shape();
  if (!shortcut_ && in != out) {
    throw std::invalid_argument("a residual block with an identity shortcut must keep its input's shape: " + in.str() +
                                " becomes " + out.str());
  }
  if (shortcut_ && shortcut_->output_shape(in) != out) {
    throw std::invalid_argument("the shortcut gives " + shortcut_->output_shape(in).str() +
                                ", the residual body gives " + out.str());
  }
  set_needs_input_grad(this->needs_input_grad_);
}

template <typename T>
ModulePtr<T> Residual<T>::projection(const Shape& in, const Shape& out) {
  if (in == out) return nullptr;
  if (in.rank() == 3 && out.rank() == 3) {
    // A 1×1 convolution with stride s maps H to (H − 1)/s + 1: find the s that gives the body's size.
    for (int64_t stride = 1; stride <= in[1]; ++stride) {
      if ((in[1] - 1) / stride + 1 == out[1] && (in[2] - 1) / stride + 1 == out[2]) {
        return std::make_unique<Conv2d<T>>(in[0], out[0], 1, 1, stride, 0, true);
      }
    }
    throw std::invalid_argument("no 1x1 convolution maps the residual block's input " + in.str() + " to its output " +
                                out.str() + " (the body must shrink height and width by the same stride)");
  }
  if (in.rank() == 1 && out.rank() == 1) return std::make_unique<Linear<T>>(in[0], out[0], true);
  throw std::invalid_argument("a residual block's body turns " + in.str() + " into " + out.str() +
                              ": the shortcut can only project images to images or features to features");
}

template <typename T>
Shape Residual<T>::output_shape(const Shape& input_sample) const {
  if (input_sample != body_.input_shape()) {
    throw std::invalid_argument("residual block built for samples " + body_.input_shape().str() + ", got " +
                                input_sample.str());
  }
  return body_.output_shape();
}

template <typename T>
const Tensor<T>& Residual<T>::forward(const Tensor<T>& x) {
  const bool blocks_out = this->channel_blocks_out();
  body_.set_channel_blocks_out(blocks_out);
  const Tensor<T>& main = body_.forward(x);
  body_.set_channel_blocks_out(false);
  const Tensor<T>* skip = &x;
  if (shortcut_) {
    shortcut_->set_channel_blocks_out(blocks_out);
    skip = &shortcut_->forward(x);
    shortcut_->set_channel_blocks_out(false);
  }
  skip_block_ = skip->channel_block();
  skip = &in_channel_blocks(*skip, main.channel_block(), skip_converted_);
  output_.resize(main.shape());
  output_.set_channel_block(main.channel_block());
  const T* a = main.data();
  const T* b = skip->data();
  T* y = output_.data();
  const bool relu = this->relu_out();  // the ReLU after this block, applied here
  parallel_for(output_.size(), [=](int64_t begin, int64_t end) {
#pragma omp simd
    for (int64_t i = begin; i < end; ++i) y[i] = relu ? rectify(a[i] + b[i]) : a[i] + b[i];
  });
  return output_;
}

template <typename T>
const Tensor<T>& Residual<T>::backward(const Tensor<T>& dy) {
  const Tensor<T>& through_body = body_.backward(dy);
  const Tensor<T>& skip_dy = in_channel_blocks(dy, skip_block_, skip_grad_);
  const Tensor<T>& through_shortcut = shortcut_ ? shortcut_->backward(skip_dy) : skip_dy;
  if (!this->needs_input_grad_) return input_grad_;  // stays empty: nothing upstream needs it
  input_grad_.resize(through_body.shape());
  input_grad_.set_channel_block(through_body.channel_block());
  const T* a = through_body.data();
  const T* b = through_shortcut.data();
  T* dx = input_grad_.data();
  parallel_for(input_grad_.size(), [=](int64_t begin, int64_t end) {
#pragma omp simd
    for (int64_t i = begin; i < end; ++i) dx[i] = a[i] + b[i];
  });
  return input_grad_;
}

template <typename T>
std::vector<std::pair<std::string, Module<T>*>> Residual<T>::children() const {
  std::vector<std::pair<std::string, Module<T>*>> all{{"body", const_cast<Sequential<T>*>(&body_)}};
  if (shortcut_) all.emplace_back("shortcut", shortcut_.get());
  return all;
}

template <typename T>
std::vector<Parameter<T>> Residual<T>::parameters() {
  std::vector<Parameter<T>> all;
  append_prefixed(all, "body", body_.parameters());
  if (shortcut_) append_prefixed(all, "shortcut", shortcut_->parameters());
  return all;
}

template <typename T>
std::vector<std::pair<std::string, Tensor<T>*>> Residual<T>::buffers() {
  std::vector<std::pair<std::string, Tensor<T>*>> all;
  append_prefixed(all, "body", body_.buffers());
  if (shortcut_) append_prefixed(all, "shortcut", shortcut_->buffers());
  return all;
}

template <typename T>
std::vector<std::pair<std::string, int64_t*>> Residual<T>::integer_buffers() {
  std::vector<std::pair<std::string, int64_t*>> all;
  append_prefixed(all, "body", body_.integer_buffers());
  if (shortcut_) append_prefixed(all, "shortcut", shortcut_->integer_buffers());
  return all;
}

template <typename T>
std::vector<std::pair<std::string, Rng*>> Residual<T>::generators() {
  std::vector<std::pair<std::string, Rng*>> all;
  append_prefixed(all, "body", body_.generators());
  if (shortcut_) append_prefixed(all, "shortcut", shortcut_->generators());
  return all;
}

template <typename T>
void Residual<T>::initialize(const Initializer& init, Rng& rng) {
  const Initializer& mine = this->initializer().value_or(init);
  body_.initialize(mine, rng);
  if (shortcut_) shortcut_->initialize(shortcut_->initializer().value_or(mine), rng);
}

template <typename T>
bool Residual<T>::differentiable() const {
  return body_.differentiable() && (!shortcut_ || shortcut_->differentiable());
}

template <typename T>
void Residual<T>::set_needs_input_grad(bool needs) {
  this->needs_input_grad_ = needs;
  body_.set_needs_input_grad(needs);
  if (shortcut_) shortcut_->set_needs_input_grad(needs);
}

template class Residual<float>;
template class Residual<double>;

}  // namespace nnlab
