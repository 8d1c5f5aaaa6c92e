#pragma once
// Conv2d: 2-D convolution (cross-correlation, as in PyTorch and the textbook).
//   y[n, co, oh, ow] = b[co] + Σ_(ci, kh, kw) W[co, ci, kh, kw] · x[n, ci, oh·s − p + kh, ow·s − p + kw]
//   W: Cout×Cin×KH×KW (PyTorch's layout), b: Cout; x is zero outside the image (padding p).
//   Output size: OH = (H + 2p − KH)/s + 1, OW = (W + 2p − KW)/s + 1.
// As matrix products, one sample at a time (col = im2col(x[n]), C·KH·KW × OH·OW):
//   y[n]  = W · col + b               (W read as Cout × C·KH·KW)
//   dW    = Σ_n dy[n] · colᵀ
//   db    = Σ_n Σ_(oh, ow) dy[n]
//   dx[n] = col2im(Wᵀ · dy[n])
// Samples are spread over the threads (run_parallel), each with its own column buffer;
// inside that parallel region OpenBLAS runs single-threaded.
// Float layers of one input channel and stride 1 (the first layer on grey images) run on a
// direct kernel instead when the CPU has AVX2 (kernels/single_channel_conv.h; their backward
// too, unless dx is wanted), and float layers of 8 input channels or more on oneDNN, where the build has it
// (kernels/onednn_conv.h): the same sums, in oneDNN's own order and blocking. On AVX-512 a one-channel
// layer of 16, 32, ... output channels goes to oneDNN too (it gives the next layer channel blocks).

#include "nnlab/kernels/im2col.h"
#include "nnlab/kernels/onednn_conv.h"
#include "nnlab/layers/layer.h"

namespace nnlab {

template <typename T>
class Conv2d final : public Layer<T> {
 public:
  Conv2d(int64_t in_channels, int64_t out_channels, int64_t kernel_h, int64_t kernel_w, int64_t stride = 1,
         int64_t padding = 0, bool bias = true);

  std::string type() const override { return "Conv2d"; }
  std::string spec() const override;
  Shape output_shape(const Shape& input_sample) const override;

  const Tensor<T>& forward(const Tensor<T>& x) override;
  const Tensor<T>& backward(const Tensor<T>& dy) override;
  // On oneDNN (float, kOneDnnMinChannels input channels or more) x and y may be in the channel
  // blocks oneDNN computes in (Tensor::channel_block): no reorders at the layer's edges.
  bool takes_channel_blocks() const override;
  // A following ReLU, applied as y is written (Module::set_relu_out; oneDNN's post-op on oneDNN).
  bool takes_relu_out() const override { return true; }
  std::vector<Parameter<T>> parameters() override;
  // fan_in = Cin·KH·KW, fan_out = Cout·KH·KW.
  void initialize(const Initializer& init, Rng& rng) override;

  int64_t in_channels() const { return in_channels_; }
  int64_t out_channels() const { return out_channels_; }
  int64_t kernel_h() const { return kernel_h_; }
  int64_t kernel_w() const { return kernel_w_; }
  int64_t stride() const { return stride_; }
  int64_t padding() const { return padding_; }
  bool has_bias() const { return has_bias_; }
  Tensor<T>& weight() { return weight_; }
  Tensor<T>& bias() { return bias_; }

 private:
  // The geometry for an input sample C×H×W; throws std::invalid_argument if the layer cannot take it.
  ConvGeometry geometry(const Shape& input_sample) const;
  // How many threads share the batch.
  int thread_count(int64_t batch, const ConvGeometry& g) const;
  // Sizes the per-thread scratch buffers for `threads` threads.
  void reserve_scratch(int threads, const ConvGeometry& g);
  // Whether this layer runs on oneDNN for geometry g: float, in a build with it, and at least
  // kOneDnnMinChannels input channels.
  bool uses_onednn(const ConvGeometry& g) const;
  // Backward in x's layout (NCHW, or channel blocks on oneDNN).
  const Tensor<T>& backward_nchw_or_onednn(const Tensor<T>& dy);
  // Adds the first `chunks` rows of chunk_grads_ (dW then db), in order, to the gradients.
  void add_chunk_gradients(int64_t chunks);

  int64_t in_channels_, out_channels_, kernel_h_, kernel_w_, stride_, padding_;
  bool on_onednn_ = false;  // whether the geometries oneDNN supports go to it (the constructor says why)
  bool has_bias_;
  Tensor<T> weight_, bias_, weight_grad_, bias_grad_;
  const Tensor<T>* input_ = nullptr;
  ConvGeometry geometry_;
  Tensor<T> output_, input_grad_;
  // One column matrix per thread: threads × (C·KH·KW) × (OH·OW).
  Tensor<T> columns_;
  // dW and db of each fixed chunk of the batch, summed after the parallel loop:
  // kGradientChunks × (Cout·C·KH·KW + Cout). Threads take whole chunks.
  static constexpr int64_t kGradientChunks = 8;
  Tensor<T> chunk_grads_;
  OneDnnConv onednn_;
  OneDnnConv::Layout layout_;  // x's and y's layouts in the last forward on oneDNN
  // A channel-blocked x that the layer cannot take as it is (a geometry oneDNN refuses) goes in
  // NCHW, and dx back to x's layout.
  int64_t given_block_ = 0;
  Tensor<T> nchw_input_, blocked_input_grad_;
};

}  // namespace nnlab
