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
// with dyflat zero on those columns. Both are register-tiled loops over a vector of outputs at a
// time (8 with AVX2 + FMA, 16 with AVX-512: single_channel_conv_tiles.inc); a CPU without AVX2
// keeps im2col + GEMM (single_channel_conv_available()).
#include <cstdint>

#include "nnlab/kernels/im2col.h"

namespace nnlab {

// Whether this CPU runs the kernel (AVX2 + FMA, not lowered by NNLAB_ISA) and it takes g: one
// input channel, stride 1.
bool single_channel_conv_available(const ConvGeometry& g);

// Floats of scratch one call needs (the padded image, one flat output per channel and the
// weight gradient's lane-wide partial sums).
int64_t single_channel_conv_scratch(const ConvGeometry& g, int64_t out_channels);

// y (count × Cout × OH × OW) = conv(images, w) + b (b may be null) for count images (count × H × W,
// contiguous); w is Cout × KH × KW.
void single_channel_conv_forward(const ConvGeometry& g, int64_t out_channels, const float* images, int64_t count,
                                 const float* w, const float* b, float* y, float* scratch);

// dw += Σ_i Σ dy_i[k] ⋆ image_i (Cout × KH × KW) and db += Σ_i Σ dy_i[k] (db may be null) over count
// images and their gradients dys (count × Cout × OH × OW): summed in one lane-wide partial sum per
// weight over all of them, the lanes added at the end, so the result depends on which images a
// call takes, in which order (callers keep that fixed: Conv2d's gradient chunks).
void single_channel_conv_weight_grad(const ConvGeometry& g, int64_t out_channels, const float* images, const float* dys,
                                     int64_t count, float* dw, float* db, float* scratch);

}  // namespace nnlab
