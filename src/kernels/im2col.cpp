#include "nnlab/kernels/im2col.h"

#include <algorithm>
#include <stdexcept>

#include "nnlab/tensor/checked_size.h"

namespace nnlab {

void ConvGeometry::check(const std::string& layer) const {
  // Runs at every forward: strings are made only for a message (a warm step allocates nothing).
  if (channels <= 0 || height <= 0 || width <= 0 || kernel_h <= 0 || kernel_w <= 0 || stride <= 0 || padding < 0) {
    throw std::invalid_argument(layer + " needs positive sizes and a padding >= 0, got input " +
                                std::to_string(channels) + "x" + std::to_string(height) + "x" + std::to_string(width) +
                                ", kernel " + std::to_string(kernel_h) + "x" + std::to_string(kernel_w) + ", stride " +
                                std::to_string(stride) + ", padding " + std::to_string(padding));
  }
  int64_t twice_padding = 0, padded = 0;
  if (__builtin_mul_overflow(padding, int64_t{2}, &twice_padding) ||
      __builtin_add_overflow(height, twice_padding, &padded) || __builtin_add_overflow(width, twice_padding, &padded)) {
    throw std::invalid_argument(layer + " padded input (padding " + std::to_string(padding) +
                                ") is too large: its size does not fit in 64 bits");
  }
  if (!fits()) return;  // the caller reports a window larger than the input in its own words
  int64_t product = 0;
  if (__builtin_mul_overflow(out_height(), out_width(), &product) ||
      __builtin_mul_overflow(product, channels, &product)) {
    throw std::invalid_argument(layer + " output (" + std::to_string(out_height()) + "x" + std::to_string(out_width()) +
                                ") is too large: its size does not fit in 64 bits");
  }
  int64_t rows = 0;
  if (__builtin_mul_overflow(channels, kernel_h, &rows) || __builtin_mul_overflow(rows, kernel_w, &rows) ||
      __builtin_mul_overflow(rows, out_height() * out_width(), &product)) {
    throw std::invalid_argument(layer + " column matrix is too large: its size does not fit in 64 bits");
  }
}

ValidRange valid_outputs(int64_t offset, int64_t stride, int64_t size, int64_t outputs) {
  // o·s + offset ≥ 0        ⇔  o ≥ ⌈−offset / s⌉
  // o·s + offset ≤ size − 1  ⇔  o ≤ ⌊(size − 1 − offset) / s⌋
  const int64_t begin = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
  const int64_t last = size - 1 - offset;
  const int64_t end = last < 0 ? 0 : std::min(outputs, last / stride + 1);
  return {std::min(begin, end), end};
}

// Both directions walk the same (row of col) × (output pixel) pairs; only the
// direction of the copy differs. Outputs whose pixel falls in the padding are
// zero in im2col and contribute nothing in col2im.
template <typename T>
void im2col(const T* image, const ConvGeometry& g, T* col) {
  const int64_t out_h = g.out_height(), out_w = g.out_width(), s = g.stride;
  for (int64_t c = 0; c < g.channels; ++c) {
    const T* plane = image + c * g.height * g.width;
    for (int64_t kh = 0; kh < g.kernel_h; ++kh) {
      const ValidRange rows = valid_outputs(kh - g.padding, s, g.height, out_h);
      for (int64_t kw = 0; kw < g.kernel_w; ++kw) {
        const int64_t offset = kw - g.padding;  // input column read by ow = 0
        const ValidRange cols = valid_outputs(offset, s, g.width, out_w);
        T* out = col + ((c * g.kernel_h + kh) * g.kernel_w + kw) * out_h * out_w;
        std::fill(out, out + rows.begin * out_w, T(0));
        for (int64_t oh = rows.begin; oh < rows.end; ++oh) {
          const T* in = plane + (oh * s + kh - g.padding) * g.width;
          T* o = out + oh * out_w;
          std::fill(o, o + cols.begin, T(0));
          if (s == 1) {
            std::copy(in + cols.begin + offset, in + cols.end + offset, o + cols.begin);
          } else {
            for (int64_t ow = cols.begin; ow < cols.end; ++ow) o[ow] = in[ow * s + offset];
          }
          std::fill(o + cols.end, o + out_w, T(0));
        }
        std::fill(out + rows.end * out_w, out + out_h * out_w, T(0));
      }
    }
  }
}

template <typename T>
void col2im(const T* col, const ConvGeometry& g, T* image) {
  const int64_t out_h = g.out_height(), out_w = g.out_width(), s = g.stride;
  std::fill(image, image + g.channels * g.height * g.width, T(0));
  for (int64_t c = 0; c < g.channels; ++c) {
    T* plane = image + c * g.height * g.width;
    for (int64_t kh = 0; kh < g.kernel_h; ++kh) {
      const ValidRange rows = valid_outputs(kh - g.padding, s, g.height, out_h);
      for (int64_t kw = 0; kw < g.kernel_w; ++kw) {
        const int64_t offset = kw - g.padding;
        const ValidRange cols = valid_outputs(offset, s, g.width, out_w);
        const T* in = col + ((c * g.kernel_h + kh) * g.kernel_w + kw) * out_h * out_w;
        for (int64_t oh = rows.begin; oh < rows.end; ++oh) {
          T* out = plane + (oh * s + kh - g.padding) * g.width;
          const T* i = in + oh * out_w;
          if (s == 1) {  // contiguous: vectorises
#pragma omp simd
            for (int64_t ow = cols.begin; ow < cols.end; ++ow) out[ow + offset] += i[ow];
          } else {
            for (int64_t ow = cols.begin; ow < cols.end; ++ow) out[ow * s + offset] += i[ow];
          }
        }
      }
    }
  }
}

template void im2col<float>(const float*, const ConvGeometry&, float*);
template void im2col<double>(const double*, const ConvGeometry&, double*);
template void col2im<float>(const float*, const ConvGeometry&, float*);
template void col2im<double>(const double*, const ConvGeometry&, double*);

}  // namespace nnlab
