#include "nnlab/kernels/channel_blocks.h"

#include <stdexcept>
#include <string>

#include "nnlab/kernels/threads.h"
#include "nnlab/kernels/transpose.h"

namespace nnlab {

bool fits_channel_blocks(const Shape& shape, int64_t block) {
  return block == 0 || (block > 0 && shape.rank() == 4 && shape[1] % block == 0);
}

template <typename T>
void convert_channel_blocks(const Tensor<T>& x, int64_t block, Tensor<T>& out) {
  const int64_t from = x.channel_block();
  for (const int64_t b : {from, block}) {
    if (!fits_channel_blocks(x.shape(), b)) {
      throw std::logic_error("a tensor " + x.shape().str() + " cannot be held in blocks of " + std::to_string(b) +
                             " channels");
    }
  }
  if (out.shape() != x.shape()) out.resize(x.shape());
  out.set_channel_block(block);
  if (from == block) {
    std::copy(x.begin(), x.end(), out.begin());
    return;
  }
  const int64_t n = x.rows(), channels = x.dim(1), spatial = x.dim(2) * x.dim(3);
  const T* in = x.data();
  T* y = out.data();
  if (from == 0 || block == 0) {
    // One transpose per group of channels: B rows of H·W pixels ↔ H·W rows of B channels.
    const int64_t b = from + block;
    const int64_t groups = n * channels / b, group_size = b * spatial;
    parallel_for(groups, x.size(), [=](int64_t first, int64_t last) {
      for (int64_t group = first; group < last; ++group) {
        const T* src = in + group * group_size;
        T* dst = y + group * group_size;
        if (from == 0) {
          transpose_columns(src, spatial, b, 0, spatial, dst, b);
        } else {
          transpose_columns(src, b, spatial, 0, b, dst, spatial);
        }
      }
    });
    return;
  }
  // One block size to another (not met in a model: oneDNN uses one per machine).
  for (int64_t r = 0; r < n; ++r) {
    for (int64_t c = 0; c < channels; ++c) {
      const T* src = in + ((r * channels / from + c / from) * spatial) * from + c % from;
      T* dst = y + ((r * channels / block + c / block) * spatial) * block + c % block;
      for (int64_t s = 0; s < spatial; ++s) dst[s * block] = src[s * from];
    }
  }
}

template void convert_channel_blocks(const Tensor<float>&, int64_t, Tensor<float>&);
template void convert_channel_blocks(const Tensor<double>&, int64_t, Tensor<double>&);

}  // namespace nnlab
