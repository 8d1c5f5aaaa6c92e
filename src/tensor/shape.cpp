#include "nnlab/tensor/shape.h"

#include <sstream>
#include <stdexcept>

#include "nnlab/tensor/checked_size.h"

namespace nnlab {

namespace {
void check_dims(const int64_t* dims, size_t count) {
  if (count > static_cast<size_t>(Shape::kMaxRank)) {
    throw std::invalid_argument("a tensor has at most 4 dimensions, got " + std::to_string(count));
  }
  for (size_t i = 0; i < count; ++i) {
    if (dims[i] < 0) {
      throw std::invalid_argument("negative dimension " + std::to_string(dims[i]));
    }
  }
}
}  // namespace

Shape::Shape(std::initializer_list<int64_t> dims) {
  check_dims(dims.begin(), dims.size());
  rank_ = static_cast<int>(dims.size());
  size_t i = 0;
  for (int64_t d : dims) dims_[i++] = d;
}

Shape::Shape(const std::vector<int64_t>& dims) {
  check_dims(dims.data(), dims.size());
  rank_ = static_cast<int>(dims.size());
  for (size_t i = 0; i < dims.size(); ++i) dims_[i] = dims[i];
}

// Dimensions come from files and specs: a product that wraps would size a buffer too small.
int64_t Shape::numel() const {
  int64_t n = 1;
  for (int i = 0; i < rank_; ++i) {
    if (__builtin_mul_overflow(n, dims_[static_cast<size_t>(i)], &n)) {
      throw std::invalid_argument("shape " + str() + " has more elements than fit in 64 bits");
    }
  }
  return n;
}

int64_t Shape::sample_size() const {
  int64_t n = 1;
  for (int i = 1; i < rank_; ++i) {
    if (__builtin_mul_overflow(n, dims_[static_cast<size_t>(i)], &n)) {
      throw std::invalid_argument("shape " + str() + " has more elements than fit in 64 bits");
    }
  }
  return n;
}

Shape Shape::sample_shape() const {
  Shape s;
  s.rank_ = rank_ > 0 ? rank_ - 1 : 0;
  for (int i = 1; i < rank_; ++i) s.dims_[static_cast<size_t>(i - 1)] = dims_[static_cast<size_t>(i)];
  return s;
}

Shape Shape::with_batch(int64_t batch) const {
  if (rank_ >= kMaxRank) throw std::invalid_argument("sample shape " + str() + " has no room for a batch dimension");
  Shape s;
  s.rank_ = rank_ + 1;
  s.dims_[0] = batch;
  for (int i = 0; i < rank_; ++i) s.dims_[static_cast<size_t>(i + 1)] = dims_[static_cast<size_t>(i)];
  return s;
}

std::vector<int64_t> Shape::to_vector() const { return std::vector<int64_t>(dims_.begin(), dims_.begin() + rank_); }

std::string Shape::str() const {
  std::ostringstream out;
  out << '[';
  for (int i = 0; i < rank_; ++i) out << (i ? ", " : "") << dims_[static_cast<size_t>(i)];
  out << ']';
  return out.str();
}

std::string Shape::spec() const {
  std::ostringstream out;
  for (int i = 0; i < rank_; ++i) out << (i ? "x" : "") << dims_[static_cast<size_t>(i)];
  return out.str();
}

Shape Shape::parse_spec(const std::string& text) {
  std::vector<int64_t> dims;
  std::istringstream in(text);
  std::string part;
  while (std::getline(in, part, 'x')) {
    size_t used = 0;
    long long value = 0;
    try {
      value = std::stoll(part, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != part.size() || value <= 0) {
      throw std::invalid_argument("bad shape '" + text + "': expected positive sizes joined by 'x', e.g. 1x28x28");
    }
    dims.push_back(value);
  }
  if (dims.empty()) throw std::invalid_argument("bad shape '" + text + "': empty");
  return Shape(dims);
}

bool Shape::operator==(const Shape& other) const {
  if (rank_ != other.rank_) return false;
  for (int i = 0; i < rank_; ++i) {
    if (dims_[static_cast<size_t>(i)] != other.dims_[static_cast<size_t>(i)]) return false;
  }
  return true;
}

}  // namespace nnlab
