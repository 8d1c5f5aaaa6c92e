#pragma once
// Shape: the dimensions of a tensor, up to 4 (dense N×F, images N×C×H×W).
// Fixed-size storage so that shapes never allocate in the training loop.

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace nnlab {

class Shape {
 public:
  static constexpr int kMaxRank = 4;

  Shape() = default;
  Shape(std::initializer_list<int64_t> dims);
  explicit Shape(const std::vector<int64_t>& dims);

  int rank() const { return rank_; }
  int64_t operator[](int axis) const { return dims_[static_cast<size_t>(axis)]; }
  int64_t& operator[](int axis) { return dims_[static_cast<size_t>(axis)]; }
  // Number of elements: the product of the dimensions (1 for rank 0).
  int64_t numel() const;
  // Elements per sample: the product of all dimensions but the first.
  int64_t sample_size() const;
  // The shape of one sample (all dimensions but the first).
  Shape sample_shape() const;
  // This sample shape with a batch dimension in front.
  Shape with_batch(int64_t batch) const;
  std::vector<int64_t> to_vector() const;

  // "[128, 784]"
  std::string str() const;
  // "1x28x28": the form used in model files and on the command line.
  std::string spec() const;
  static Shape parse_spec(const std::string& text);

  bool operator==(const Shape& other) const;
  bool operator!=(const Shape& other) const { return !(*this == other); }

 private:
  std::array<int64_t, kMaxRank> dims_{};
  int rank_ = 0;
};

}  // namespace nnlab
