#pragma once
// Direct convolution of one input channel (the first layer of a network on grey images:
// SimpleConvNet's 30@5×5, DeepConvNet's and the residual preset's 16@3×3), stride 1, float.
//
// im2col + GEMM turns such a layer into products of depth KH·KW (9 or 25), too shallow for a
// matrix kernel: 16-31 GFLOP/s on Zen 2 (bench/README.md). Here the image is laid out flat with
// its padding, rows S = W + 2p apart, so that every tap (kh, kw) of the kernel is one shift of
// the same array:
//   yflat[k][q] = Σ_(kh, kw) W[k][kh][kw] · padded[q + kh·S + kw],   y[k][oh][ow] = yflat[k][oh·S + ow] + b[k]
// (the S − OW columns past each output row are computed and dropped), and
//   dW[k][kh][kw] += Σ_q dyflat[k][q] · padded[q + kh·S + kw]
// with dyflat zero on those columns. Both are register-tiled AVX2 + FMA loops over 8 outputs at
// a time; a CPU without AVX2 keeps im2col + GEMM (single_channel_conv_available()).
#include <cstdint>

#include "nnlab/kernels/im2col.h"

namespace nnlab {

// Whether this CPU runs the kernel (AVX2 + FMA, not lowered by NNLAB_ISA) and it takes g: one
// input channel, stride 1.
bool single_channel_conv_available(const ConvGeometry& g);

// Floats of scratch one call needs (the padded image and one flat output per channel).
int64_t single_channel_conv_scratch(const ConvGeometry& g, int64_t out_channels);

// y (Cout × OH × OW) = conv(image, w) + b (b may be null) for one image (H × W); w is Cout × KH × KW.
void single_channel_conv_forward(const ConvGeometry& g, int64_t out_channels, const float* image, const float* w,
                                 const float* b, float* y, float* scratch);

// dw += Σ dy[k] ⋆ image (Cout × KH × KW) and db += Σ dy[k] (db may be null), for one image.
void single_channel_conv_weight_grad(const ConvGeometry& g, int64_t out_channels, const float* image, const float* dy,
                                     float* dw, float* db, float* scratch);

}  // namespace nnlab
