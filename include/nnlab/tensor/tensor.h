#pragma once
// Tensor<T>: an owning, contiguous, row-major array with a Shape.
// float is used for training, double for gradient checks.
//
// resize() keeps the allocated capacity, so a layer that resizes its buffers
// to the same or a smaller batch never allocates again.
//
// An image batch N×C×H×W is stored NCHW (PyTorch's layout) unless channel_block() is B > 0:
// then in oneDNN's nChw{B}c, channels in groups of B, each group's H×W pixels of B channels
// (B values side by side). Only containers hand such tensors from layer to layer, between the
// layers that take them (Module::takes_channel_blocks; kernels/channel_blocks.h): the layout a
// convolution works in, kept instead of reordered at every layer. Whatever leaves a model is NCHW.

#include <algorithm>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <vector>

#include "nnlab/tensor/checked_size.h"
#include "nnlab/tensor/shape.h"

namespace nnlab {

template <typename T>
class Tensor {
 public:
  using value_type = T;

  Tensor() = default;
  explicit Tensor(const Shape& shape, T fill = T(0)) : shape_(shape), data_(checked_elements(shape), fill) {}
  Tensor(const Shape& shape, std::vector<T> data) : shape_(shape), data_(std::move(data)) {
    if (static_cast<int64_t>(data_.size()) != shape_.numel()) {
      throw std::invalid_argument("tensor of shape " + shape_.str() + " needs " + std::to_string(shape_.numel()) +
                                  " values, got " + std::to_string(data_.size()));
    }
  }

  const Shape& shape() const { return shape_; }
  int rank() const { return shape_.rank(); }
  int64_t dim(int axis) const { return shape_[axis]; }
  int64_t size() const { return static_cast<int64_t>(data_.size()); }
  bool empty() const { return data_.empty(); }
  // Rows of the dense view [N, sample_size]: the batch dimension.
  int64_t rows() const { return shape_.rank() > 0 ? shape_[0] : 1; }
  int64_t row_size() const { return shape_.sample_size(); }

  T* data() { return data_.data(); }
  const T* data() const { return data_.data(); }
  T* row(int64_t r) { return data_.data() + r * row_size(); }
  const T* row(int64_t r) const { return data_.data() + r * row_size(); }
  std::span<T> span() { return {data_.data(), data_.size()}; }
  std::span<const T> span() const { return {data_.data(), data_.size()}; }
  T& operator[](int64_t i) { return data_[static_cast<size_t>(i)]; }
  const T& operator[](int64_t i) const { return data_[static_cast<size_t>(i)]; }
  T* begin() { return data_.data(); }
  T* end() { return data_.data() + data_.size(); }
  const T* begin() const { return data_.data(); }
  const T* end() const { return data_.data() + data_.size(); }

  // Changes the shape; allocates only when the new size exceeds the capacity.
  // Contents are unspecified afterwards.
  void resize(const Shape& shape) {
    const int64_t n = shape.numel();
    if (static_cast<size_t>(n) > data_.capacity()) check_allocation(n, sizeof(T), "a tensor of shape " + shape.str());
    shape_ = shape;
    data_.resize(static_cast<size_t>(n));
  }
  // Same elements, other shape.
  void reshape(const Shape& shape) {
    if (shape.numel() != shape_.numel()) {
      throw std::invalid_argument("cannot reshape " + shape_.str() + " to " + shape.str());
    }
    shape_ = shape;
  }
  void fill(T value) { std::fill(data_.begin(), data_.end(), value); }

  // Channels per block of the layout (0: NCHW), see above; resize and reshape leave it as it is.
  int64_t channel_block() const { return channel_block_; }
  void set_channel_block(int64_t block) { channel_block_ = block; }

  template <typename U>
  Tensor<U> cast() const {
    Tensor<U> out(shape_);
    std::transform(data_.begin(), data_.end(), out.begin(), [](T v) { return static_cast<U>(v); });
    out.set_channel_block(channel_block_);
    return out;
  }

 private:
  // Refuses, with a message, a tensor larger than the machine's memory before trying to allocate it.
  static size_t checked_elements(const Shape& shape) {
    const int64_t n = shape.numel();
    check_allocation(n, sizeof(T), "a tensor of shape " + shape.str());
    return static_cast<size_t>(n);
  }

  Shape shape_;
  std::vector<T> data_;
  int64_t channel_block_ = 0;
};

}  // namespace nnlab
