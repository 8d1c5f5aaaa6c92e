#pragma once
// im2col and col2im: convolution as a matrix product.
//
// im2col lays every receptive field of one image (C×H×W) out as a column:
//   col[(c·KH + kh)·KW + kw][oh·OW + ow] = x[c][oh·s − p + kh][ow·s − p + kw]   (0 outside the image)
// so that a convolution of the image is one gemm,
//   y (Cout × OH·OW) = W (Cout × C·KH·KW) · col (C·KH·KW × OH·OW).
// col2im is its adjoint: each column entry is added back to the pixel it was read from,
//   x[c][ih][iw] = Σ col[(c, kh, kw)][(oh, ow)]  over every (kh, kw, oh, ow) that reads (ih, iw),
// which turns dL/d(col) into dL/dx.

#include <cstdint>
#include <string>

namespace nnlab {

// The sizes of one convolution (or pooling) window sliding over one image.
struct ConvGeometry {
  int64_t channels = 0, height = 0, width = 0;
  int64_t kernel_h = 1, kernel_w = 1, stride = 1, padding = 0;

  // (H + 2p − K)/s + 1; at least 1 when H + 2p ≥ K.
  int64_t out_height() const { return (height + 2 * padding - kernel_h) / stride + 1; }
  int64_t out_width() const { return (width + 2 * padding - kernel_w) / stride + 1; }
  // The column matrix is col_rows × col_cols.
  int64_t col_rows() const { return channels * kernel_h * kernel_w; }
  int64_t col_cols() const { return out_height() * out_width(); }
  // Whether at least one window fits: H + 2p ≥ KH and W + 2p ≥ KW.
  bool fits() const { return height + 2 * padding >= kernel_h && width + 2 * padding >= kernel_w; }
  // Throws std::invalid_argument, naming `layer`, when a size is not positive or when H + 2p,
  // the output size or the column matrix would not fit in 64 bits (sizes come from specs and
  // files: a product that wraps would make im2col write past its buffer). After check(),
  // every expression above is exact.
  void check(const std::string& layer) const;
};

// Outputs o in [begin, end) read an input index o·stride + offset inside [0, size).
struct ValidRange {
  int64_t begin, end;
};
ValidRange valid_outputs(int64_t offset, int64_t stride, int64_t size, int64_t outputs);

// image: C×H×W; col: col_rows × col_cols (overwritten).
template <typename T>
void im2col(const T* image, const ConvGeometry& g, T* col);

// col: col_rows × col_cols; image: C×H×W (overwritten with the sum).
template <typename T>
void col2im(const T* col, const ConvGeometry& g, T* image);

}  // namespace nnlab
