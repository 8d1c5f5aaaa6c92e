#pragma once
// 2-D convolution on oneDNN (the deep-learning primitives of PyTorch's CPU backend; Debian's
// libdnnl-dev), for float. oneDNN writes its kernels for the CPU at hand when a primitive is
// first built (AVX-512, AVX2, SSE4.1: the choice is made at run time, not by -march), and works
// on channel-blocked copies of the tensors, made here by reorders on the way in and out. On the
// residual preset's 3×3 convolutions of 16-64 channels it ran forward and backward 1.6-1.8×
// faster than im2col + GEMM on this Zen 3 (bench/README.md); on one input channel (the first
// layer on grey images) 3× slower, so Conv2d gives it only layers of kOneDnnMinChannels input
// channels or more.
//
// Built in when CMake finds oneDNN (NNLAB_ONEDNN); without it onednn_available() is false and
// Conv2d keeps im2col + GEMM. The primitives and blocked copies of the last two batch sizes of
// training are kept: full batches and the last smaller one of an epoch.

#include <cstdint>
#include <memory>
#include <string>

#include "nnlab/kernels/im2col.h"

namespace nnlab {

inline constexpr int64_t kOneDnnMinChannels = 8;

// Whether this build has oneDNN.
bool onednn_available();
// The instruction set oneDNN builds its kernels for ("avx2", "avx512_core", ...), or "" without
// oneDNN. NNLAB_ISA (kernels/isa.h) lowers it too, when DNNL_MAX_CPU_ISA is not set: generic to
// "sse41" (oneDNN's lowest), avx2 to "avx2".
std::string onednn_kernels();

class OneDnnConv {
 public:
  OneDnnConv();
  ~OneDnnConv();
  // A copy starts with no primitives of its own (they are built again on first use).
  OneDnnConv(const OneDnnConv&);
  OneDnnConv& operator=(const OneDnnConv&);

  // Whether oneDNN can take this geometry (in this build, with the right padding PyTorch's
  // output size implies not negative).
  static bool supports(const ConvGeometry& g);

  // The layouts of x and y (Tensor::channel_block): x's channel block (0: NCHW), and whether y may
  // be given in the channel blocks the primitive computes in (nChw16c, nChw8c) instead of NCHW.
  // relu: y = max(0, conv(x, w) + b), a following ReLU applied as the primitive writes y (oneDNN's
  // eltwise post-op; it keeps −0 and NaN, where nnlab's ReLU gives +0); backward is the same.
  struct Layout {
    int64_t x_block = 0;
    bool blocks_out = false;
    bool relu = false;
  };

  // y = conv(x, w) + b (b may be null) for n samples of geometry g, out_channels outputs; w in
  // PyTorch's OIHW, x and y as `layout` says. Returns y's channel block (0: NCHW). With keep false
  // (evaluation) the blocked copies are freed afterwards: evaluation batches are large, and
  // rebuilding from oneDNN's primitive cache costs microseconds.
  int64_t forward(int64_t n, const ConvGeometry& g, int64_t out_channels, Layout layout, const float* x, const float* w,
                  const float* b, float* y, bool keep = true);
  // The gradients of the same n, g, out_channels, layout, x and w for dy (in the layout forward
  // gave y): dw (and db and dx, in x's layout, when not null) are written, not added.
  void backward(int64_t n, const ConvGeometry& g, int64_t out_channels, Layout layout, const float* x, const float* w,
                const float* dy, float* dx, float* dw, float* db);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace nnlab
