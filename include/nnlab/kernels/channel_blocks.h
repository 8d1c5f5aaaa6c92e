#pragma once
// Image batches between PyTorch's NCHW and oneDNN's channel-blocked nChw{B}c (Tensor::channel_block):
// in the blocked layout the channels go in groups of B, and each group holds its H×W pixels one
// after the other, the B channels of a pixel side by side:
//   nchw[((n·C + c)·H·W + s]  =  blocked[((n·C/B + c/B)·H·W + s)·B + c mod B]
// oneDNN's convolutions work in it (B = 16 with AVX-512, 8 with AVX2); a model hands it from layer to
// layer between the layers that take it (Module::takes_channel_blocks), where a reorder at every
// convolution's input and output cost 13% of the residual preset's training step (bench/README.md).

#include <cstdint>

#include "nnlab/tensor/tensor.h"

namespace nnlab {

// Whether an N×C×H×W batch can be held in blocks of `block` channels (C a multiple of it; 0: NCHW).
bool fits_channel_blocks(const Shape& shape, int64_t block);

// `out` = x in blocks of `block` channels (0: NCHW), whatever x's layout; out's shape is x's.
template <typename T>
void convert_channel_blocks(const Tensor<T>& x, int64_t block, Tensor<T>& out);

// x itself when it is already in blocks of `block` channels, else x converted into `buffer`.
template <typename T>
const Tensor<T>& in_channel_blocks(const Tensor<T>& x, int64_t block, Tensor<T>& buffer) {
  if (x.channel_block() == block) return x;
  convert_channel_blocks(x, block, buffer);
  return buffer;
}

}  // namespace nnlab
