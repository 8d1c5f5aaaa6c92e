#include "nnlab/layers/conv2d.h"

#include <algorithm>
#include <stdexcept>
#include <type_traits>

#include "nnlab/kernels/channel_blocks.h"
#include "nnlab/kernels/gemm.h"
#include "nnlab/kernels/single_channel_conv.h"
#include "nnlab/kernels/threads.h"
#include "nnlab/layers/relu.h"

namespace nnlab {

namespace {
// y = max(0, y) over `count` values, as ReLU computes it: a following ReLU applied while y is in cache.
template <typename T>
void rectify_rows(T* y, int64_t count) {
#pragma omp simd
  for (int64_t i = 0; i < count; ++i) y[i] = rectify(y[i]);
}
}  // namespace

template <typename T>
Conv2d<T>::Conv2d(int64_t in_channels, int64_t out_channels, int64_t kernel_h, int64_t kernel_w, int64_t stride,
                  int64_t padding, bool bias)
    : in_channels_(in_channels),
      out_channels_(out_channels),
      kernel_h_(kernel_h),
      kernel_w_(kernel_w),
      stride_(stride),
      padding_(padding),
      has_bias_(bias) {
  if (in_channels <= 0 || out_channels <= 0 || kernel_h <= 0 || kernel_w <= 0 || stride <= 0 || padding < 0) {
    throw std::invalid_argument("Conv2d needs positive channels, kernel and stride and a padding >= 0, got in " +
                                std::to_string(in_channels) + ", out " + std::to_string(out_channels) + ", kernel " +
                                std::to_string(kernel_h) + "x" + std::to_string(kernel_w) + ", stride " +
                                std::to_string(stride) + ", padding " + std::to_string(padding));
  }
  weight_ = Tensor<T>(Shape{out_channels, in_channels, kernel_h, kernel_w});
  weight_grad_ = Tensor<T>(weight_.shape());
  bias_ = Tensor<T>(Shape{bias ? out_channels : 0});
  bias_grad_ = Tensor<T>(bias_.shape());
  // oneDNN: float layers of kOneDnnMinChannels input channels or more, and layers of fewer (the first
  // on images) whose output fills AVX-512's blocks of 16 channels, which oneDNN writes for the next
  // layer without a conversion (the resnet preset's step: 52.3 -> 49.1 ms, bench/README.md). The
  // direct one-channel kernel stays for the rest (SimpleConvNet's 30 channels: as fast as oneDNN).
  on_onednn_ =
      std::is_same_v<T, float> && onednn_available() &&
      (in_channels >= kOneDnnMinChannels || (out_channels % 16 == 0 && onednn_kernels().rfind("avx512", 0) == 0));
}

template <typename T>
std::string Conv2d<T>::spec() const {
  std::string s =
      "conv:" + std::to_string(out_channels_) + "x" + std::to_string(kernel_h_) + "x" + std::to_string(kernel_w_);
  if (stride_ != 1) s += ":stride=" + std::to_string(stride_);
  if (padding_ != 0) s += ":pad=" + std::to_string(padding_);
  if (!has_bias_) s += ":bias=false";
  return s;
}

template <typename T>
ConvGeometry Conv2d<T>::geometry(const Shape& input_sample) const {
  if (input_sample.rank() != 3) {
    throw std::invalid_argument("Conv2d expects image samples CxHxW, got " + input_sample.str());
  }
  if (input_sample[0] != in_channels_) {
    throw std::invalid_argument("Conv2d expects " + std::to_string(in_channels_) + " input channels, got " +
                                input_sample.str());
  }
  const ConvGeometry g{in_channels_, input_sample[1], input_sample[2], kernel_h_, kernel_w_, stride_, padding_};
  g.check("Conv2d");
  if (!g.fits()) {
    throw std::invalid_argument("Conv2d input " + input_sample.str() + " is smaller than its kernel " +
                                std::to_string(kernel_h_) + "x" + std::to_string(kernel_w_) + " (padding " +
                                std::to_string(padding_) + ")");
  }
  return g;
}

template <typename T>
Shape Conv2d<T>::output_shape(const Shape& input_sample) const {
  const ConvGeometry g = geometry(input_sample);
  return Shape{out_channels_, g.out_height(), g.out_width()};
}

template <typename T>
int Conv2d<T>::thread_count(int64_t batch, const ConvGeometry& g) const {
  // A thread per sample at most; tiny convolutions (a gradient check's) stay on one thread,
  // where starting the team would cost more than the work.
  const int64_t multiply_adds = batch * out_channels_ * g.col_rows() * g.col_cols();
  if (multiply_adds < kParallelThreshold * 8) return 1;
  return static_cast<int>(std::clamp<int64_t>(batch, 1, num_threads()));
}

template <typename T>
void Conv2d<T>::reserve_scratch(int threads, const ConvGeometry& g) {
  // resize allocates only when the buffer grows: never again for the same batch and image size.
  columns_.resize(Shape{threads, g.col_rows(), g.col_cols()});
  chunk_grads_.resize(Shape{kGradientChunks, weight_.size() + bias_.size()});
}

template <typename T>
bool Conv2d<T>::uses_onednn(const ConvGeometry& g) const {
  return on_onednn_ && OneDnnConv::supports(g);
}

template <typename T>
bool Conv2d<T>::takes_channel_blocks() const {
  return std::is_same_v<T, float> && in_channels_ >= kOneDnnMinChannels && onednn_available();
}

template <typename T>
const Tensor<T>& Conv2d<T>::forward(const Tensor<T>& given) {
  if (given.rank() != 4) throw std::invalid_argument("Conv2d expects input NxCxHxW, got " + given.shape().str());
  geometry_ = geometry(given.shape().sample_shape());
  const ConvGeometry& g = geometry_;
  const bool onednn = uses_onednn(g);
  const bool relu = this->relu_out();  // a ReLU next, applied here (Module::set_relu_out)
  given_block_ = given.channel_block();
  const Tensor<T>& x = onednn ? given : in_channel_blocks(given, 0, nchw_input_);
  input_ = &x;
  const int64_t n = x.rows(), rows = g.col_rows(), cols = g.col_cols();
  output_.resize(Shape{n, out_channels_, g.out_height(), g.out_width()});
  output_.set_channel_block(0);
  if constexpr (std::is_same_v<T, float>) {
    if (onednn) {
      layout_ = {x.channel_block(), this->channel_blocks_out(), relu};
      output_.set_channel_block(onednn_.forward(n, g, out_channels_, layout_, x.data(), weight_.data(),
                                                has_bias_ ? bias_.data() : nullptr, output_.data(), this->training()));
      return output_;
    }
  }
  const int threads = thread_count(n, g);
  if constexpr (std::is_same_v<T, float>) {
    if (single_channel_conv_available(g)) {
      // One input channel: a direct convolution, each thread with its own scratch.
      columns_.resize(Shape{threads, single_channel_conv_scratch(g, out_channels_)});
      run_parallel(threads, [&](int part, int parts) {
        const int64_t first = n * part / parts, last = n * (part + 1) / parts;
        if (first == last) return;
        single_channel_conv_forward(g, out_channels_, x.row(first), last - first, weight_.data(),
                                    has_bias_ ? bias_.data() : nullptr, output_.row(first), columns_.row(part));
        if (relu) rectify_rows(output_.row(first), (last - first) * output_.row_size());
      });
      return output_;
    }
  }
  reserve_scratch(threads, g);

  // Each part of the batch on its own thread, with its own column buffer.
  run_parallel(threads, [&](int part, int parts) {
    T* col = columns_.row(part);
    for (int64_t i = n * part / parts; i < n * (part + 1) / parts; ++i) {
      im2col(x.row(i), g, col);
      // y[i] = W · col + b   (Cout × C·KH·KW) · (C·KH·KW × OH·OW)
      T* y = output_.row(i);
      if (has_bias_) {
        for (int64_t co = 0; co < out_channels_; ++co) std::fill(y + co * cols, y + (co + 1) * cols, bias_[co]);
      }
      gemm(Transpose::kNo, Transpose::kNo, out_channels_, cols, rows, T(1), weight_.data(), col,
           has_bias_ ? T(1) : T(0), y);
      if (relu) rectify_rows(y, out_channels_ * cols);
    }
  });
  return output_;
}

template <typename T>
const Tensor<T>& Conv2d<T>::backward(const Tensor<T>& dy) {
  if (input_ == nullptr) throw std::logic_error("Conv2d::backward called before forward");
  if (dy.shape() != output_.shape()) {
    throw std::invalid_argument("Conv2d backward expects gradient " + output_.shape().str() + ", got " +
                                dy.shape().str());
  }
  if (dy.channel_block() != output_.channel_block()) {
    throw std::logic_error("Conv2d backward expects its gradient in the layout of its output (channel block " +
                           std::to_string(output_.channel_block()) + "), got channel block " +
                           std::to_string(dy.channel_block()));
  }
  const Tensor<T>& dx = backward_nchw_or_onednn(dy);
  if (!this->needs_input_grad() || dx.channel_block() == given_block_) return dx;
  convert_channel_blocks(dx, given_block_, blocked_input_grad_);
  return blocked_input_grad_;
}

template <typename T>
const Tensor<T>& Conv2d<T>::backward_nchw_or_onednn(const Tensor<T>& dy) {
  const Tensor<T>& x = *input_;
  const ConvGeometry& g = geometry_;
  const int64_t n = x.rows(), rows = g.col_rows(), cols = g.col_cols();
  const int64_t weight_size = weight_.size(), bias_size = bias_.size();
  const bool input_grad = this->needs_input_grad();
  if (input_grad) input_grad_.resize(x.shape());
  input_grad_.set_channel_block(x.channel_block());
  if constexpr (std::is_same_v<T, float>) {
    if (uses_onednn(g)) {
      chunk_grads_.resize(Shape{kGradientChunks, weight_size + bias_size});
      T* dW = chunk_grads_.row(0);
      onednn_.backward(n, g, out_channels_, layout_, x.data(), weight_.data(), dy.data(),
                       input_grad ? input_grad_.data() : nullptr, dW, has_bias_ ? dW + weight_size : nullptr);
      add_chunk_gradients(1);
      return input_grad_;
    }
  }
  const int threads = thread_count(n, g);
  if constexpr (std::is_same_v<T, float>) {
    if (!input_grad && single_channel_conv_available(g)) {
      // The first layer on grey images (no dx): the direct kernel, in the same fixed chunks as below.
      columns_.resize(Shape{threads, single_channel_conv_scratch(g, out_channels_)});
      chunk_grads_.resize(Shape{kGradientChunks, weight_size + bias_size});
      run_parallel(threads, [&](int part, int parts) {
        for (int64_t chunk = kGradientChunks * part / parts; chunk < kGradientChunks * (part + 1) / parts; ++chunk) {
          T* dW = chunk_grads_.row(chunk);
          std::fill(dW, dW + weight_size + bias_size, T(0));
          const int64_t first = n * chunk / kGradientChunks, last = n * (chunk + 1) / kGradientChunks;
          if (first == last) continue;
          single_channel_conv_weight_grad(g, out_channels_, x.row(first), dy.row(first), last - first, dW,
                                          has_bias_ ? dW + weight_size : nullptr, columns_.row(part));
        }
      });
      add_chunk_gradients(kGradientChunks);
      return input_grad_;
    }
  }
  reserve_scratch(threads, g);

  // dW and db are summed over the batch in kGradientChunks fixed chunks of samples, each chunk in
  // sample order, then the chunks in chunk order: the same sums, to the last bit, whatever the
  // number of threads that shared the chunks.
  run_parallel(threads, [&](int part, int parts) {
    T* col = columns_.row(part);
    for (int64_t chunk = kGradientChunks * part / parts; chunk < kGradientChunks * (part + 1) / parts; ++chunk) {
      T* dW = chunk_grads_.row(chunk);
      T* db = dW + weight_size;
      std::fill(dW, dW + weight_size + bias_size, T(0));
      for (int64_t i = n * chunk / kGradientChunks; i < n * (chunk + 1) / kGradientChunks; ++i) {
        const T* g_i = dy.row(i);
        // The columns are recomputed rather than kept from forward: a small im2col costs
        // less than storing and re-reading the whole batch's columns.
        im2col(x.row(i), g, col);
        // dW += dy[i] · colᵀ   (Cout × OH·OW) · (OH·OW × C·KH·KW)
        gemm(Transpose::kNo, Transpose::kYes, out_channels_, rows, cols, T(1), g_i, col, T(1), dW);
        for (int64_t co = 0; co < bias_size; ++co) {
          T sum = T(0);
          const T* plane = g_i + co * cols;
#pragma omp simd reduction(+ : sum)
          for (int64_t j = 0; j < cols; ++j) sum += plane[j];
          db[co] += sum;
        }
        if (input_grad) {
          // dcol = Wᵀ · dy[i]   (C·KH·KW × Cout) · (Cout × OH·OW), into the same buffer; dx[i] = col2im(dcol)
          gemm(Transpose::kYes, Transpose::kNo, rows, cols, out_channels_, T(1), weight_.data(), g_i, T(0), col);
          col2im(col, g, input_grad_.row(i));
        }
      }
    }
  });
  add_chunk_gradients(kGradientChunks);
  return input_grad_;
}

template <typename T>
void Conv2d<T>::add_chunk_gradients(int64_t chunks) {
  const int64_t weight_size = weight_.size(), bias_size = bias_.size();
  // This batch's sums, added to the gradients (or written, the first time after zero_grad).
  const bool add = this->begin_gradient_sum();
  if (add) {
    const T* partial = chunk_grads_.row(0);
    for (int64_t j = 0; j < weight_size; ++j) weight_grad_[j] += partial[j];
    for (int64_t j = 0; j < bias_size; ++j) bias_grad_[j] += partial[weight_size + j];
  } else {
    std::copy(chunk_grads_.row(0), chunk_grads_.row(0) + weight_size, weight_grad_.data());
    std::copy(chunk_grads_.row(0) + weight_size, chunk_grads_.row(0) + weight_size + bias_size, bias_grad_.data());
  }
  for (int64_t chunk = 1; chunk < chunks; ++chunk) {
    const T* partial = chunk_grads_.row(chunk);
    for (int64_t j = 0; j < weight_size; ++j) weight_grad_[j] += partial[j];
    for (int64_t j = 0; j < bias_size; ++j) bias_grad_[j] += partial[weight_size + j];
  }
}

template <typename T>
std::vector<Parameter<T>> Conv2d<T>::parameters() {
  std::vector<Parameter<T>> params{{"weight", &weight_, &weight_grad_, true}};
  if (has_bias_) params.push_back({"bias", &bias_, &bias_grad_, false});
  return params;
}

template <typename T>
void Conv2d<T>::initialize(const Initializer& init, Rng& rng) {
  init.fill(weight_, in_channels_ * kernel_h_ * kernel_w_, out_channels_ * kernel_h_ * kernel_w_, rng);
  bias_.fill(T(0));
}

template class Conv2d<float>;
template class Conv2d<double>;

}  // namespace nnlab
