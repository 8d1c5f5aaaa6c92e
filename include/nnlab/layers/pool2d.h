#pragma once
// Common ground for MaxPool2d and AvgPool2d: a K×K window moved by `stride` over
// each channel of each image, with `padding` pixels added on every side.
//   Output size: OH = (H + 2p − K)/s + 1, OW = (W + 2p − K)/s + 1.
// As in PyTorch, the padding may be at most half the kernel, so every window
// holds at least one pixel of the image.

#include <algorithm>
#include <cstdint>
#include <limits>
#include <stdexcept>

#include "nnlab/kernels/im2col.h"
#include "nnlab/kernels/threads.h"
#include "nnlab/layers/layer.h"

namespace nnlab {

// Calls body(plane) for every plane in [0, planes), the planes shared between the threads when
// the tensor (`elements` values) is large enough to be worth a parallel region.
template <typename Body>
void for_each_plane(int64_t planes, int64_t elements, Body&& body) {
  run_parallel(elements > kParallelThreshold ? num_threads() : 1, [&](int part, int parts) {
    for (int64_t plane = planes * part / parts; plane < planes * (part + 1) / parts; ++plane) body(plane);
  });
}

// The sizes of one channel plane and of its window, in 32-bit integers (which vectorise alongside
// float values; Pool2d::plane_sizes checks that they fit), for the pooling loops.
struct PoolPlane {
  int32_t in_h, in_w, out_h, out_w, kernel, stride, padding;

  // The window (oh, ow) clipped to the image: rows [h0, h1), columns [w0, w1).
  int32_t h0(int32_t oh) const { return std::max(oh * stride - padding, 0); }
  int32_t h1(int32_t oh) const { return std::min(oh * stride - padding + kernel, in_h); }
  int32_t w0(int32_t ow) const { return std::max(ow * stride - padding, 0); }
  int32_t w1(int32_t ow) const { return std::min(ow * stride - padding + kernel, in_w); }
  // Windows ow in [inner_begin(), inner_end()) lie wholly inside the image horizontally:
  // ow·s − p ≥ 0 and ow·s − p + k ≤ W.
  int32_t inner_end() const {
    const int32_t room = in_w + padding - kernel;
    return room < 0 ? 0 : std::min(out_w, room / stride + 1);
  }
  int32_t inner_begin() const { return std::min((padding + stride - 1) / stride, inner_end()); }
};

template <typename T>
class Pool2d : public Layer<T> {
 public:
  Shape output_shape(const Shape& input_sample) const override {
    const ConvGeometry g = geometry(input_sample);
    return Shape{g.channels, g.out_height(), g.out_width()};
  }

  int64_t kernel() const { return kernel_; }
  int64_t stride() const { return stride_; }
  int64_t padding() const { return padding_; }

 protected:
  Pool2d(const std::string& type, int64_t kernel, int64_t stride, int64_t padding)
      : kernel_(kernel), stride_(stride), padding_(padding) {
    if (kernel <= 0 || stride <= 0 || padding < 0) {
      throw std::invalid_argument(type + " needs a positive kernel and stride and a padding >= 0, got kernel " +
                                  std::to_string(kernel) + ", stride " + std::to_string(stride) + ", padding " +
                                  std::to_string(padding));
    }
    // The loops run in 32-bit integers (PoolPlane).
    constexpr int64_t kLargest = std::numeric_limits<int32_t>::max() / 4;
    if (kernel > kLargest || stride > kLargest || padding > kLargest) {
      throw std::invalid_argument(type + " kernel, stride and padding must be at most " + std::to_string(kLargest) +
                                  ", got kernel " + std::to_string(kernel) + ", stride " + std::to_string(stride) +
                                  ", padding " + std::to_string(padding));
    }
    if (padding > kernel / 2) {  // 2p > k, without the overflow of 2p
      throw std::invalid_argument(type + " padding " + std::to_string(padding) + " is more than half the kernel size " +
                                  std::to_string(kernel));
    }
  }

  // "maxpool:2", "avgpool:3:stride=2:pad=1": the stride is written only when it is not the kernel size.
  std::string pool_spec(const std::string& name) const {
    std::string s = name + ":" + std::to_string(kernel_);
    if (stride_ != kernel_) s += ":stride=" + std::to_string(stride_);
    if (padding_ != 0) s += ":pad=" + std::to_string(padding_);
    return s;
  }

  // The geometry for an input sample C×H×W; throws std::invalid_argument if the layer cannot take it.
  ConvGeometry geometry(const Shape& input_sample) const {
    if (input_sample.rank() != 3) {
      throw std::invalid_argument(this->type() + " expects image samples CxHxW, got " + input_sample.str());
    }
    const ConvGeometry g{input_sample[0], input_sample[1], input_sample[2], kernel_, kernel_, stride_, padding_};
    g.check(this->type());
    if (!g.fits()) {
      throw std::invalid_argument(this->type() + " input " + input_sample.str() + " is smaller than its window " +
                                  std::to_string(kernel_) + "x" + std::to_string(kernel_) + " (padding " +
                                  std::to_string(padding_) + ")");
    }
    plane_sizes(g);  // refuses planes too large for the 32-bit loops now, not at the first forward
    return g;
  }
  static PoolPlane plane_sizes(const ConvGeometry& g) {
    // Every index the loops form (oh·s − p + k, at most H + 2p + k) must fit in 32 bits.
    constexpr int64_t kLargest = std::numeric_limits<int32_t>::max();
    if (g.height * g.width > kLargest || g.height + 2 * g.padding + g.kernel_h > kLargest ||
        g.width + 2 * g.padding + g.kernel_w > kLargest) {
      throw std::invalid_argument("pooling input planes of " + std::to_string(g.height) + "x" +
                                  std::to_string(g.width) + " are too large");
    }
    const auto narrow = [](int64_t v) { return static_cast<int32_t>(v); };
    return {narrow(g.height),   narrow(g.width),  narrow(g.out_height()), narrow(g.out_width()),
            narrow(g.kernel_h), narrow(g.stride), narrow(g.padding)};
  }
  // The geometry of a batch N×C×H×W.
  ConvGeometry batch_geometry(const Tensor<T>& x) const {
    if (x.rank() != 4) throw std::invalid_argument(this->type() + " expects input NxCxHxW, got " + x.shape().str());
    return geometry(x.shape().sample_shape());
  }

  int64_t kernel_, stride_, padding_;
};

}  // namespace nnlab
