#include "nnlab/data/dataset.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace nnlab {

namespace {

void check_consistent(const Dataset& data) {
  if (data.x.rank() < 1 || data.y.rank() < 1 || data.x.rows() != data.y.rows()) {
    throw std::invalid_argument("dataset inputs " + data.x.shape().str() + " and targets " + data.y.shape().str() +
                                " do not have the same number of samples");
  }
}

void check_index(const Dataset& data, int64_t index) {
  if (index < 0 || index >= data.size()) {
    throw std::out_of_range("sample index " + std::to_string(index) + " outside a dataset of " +
                            std::to_string(data.size()) + " samples");
  }
}

}  // namespace

Dataset Dataset::subset(const std::vector<int64_t>& indices) const {
  Dataset out;
  out.num_classes = num_classes;
  gather(*this, indices.data(), static_cast<int64_t>(indices.size()), out.x, out.y);
  return out;
}

Dataset Dataset::slice(int64_t begin, int64_t end) const {
  if (begin < 0 || begin > end || end > size()) {
    throw std::out_of_range("slice [" + std::to_string(begin) + ", " + std::to_string(end) + ") outside a dataset of " +
                            std::to_string(size()) + " samples");
  }
  std::vector<int64_t> indices(static_cast<size_t>(end - begin));
  std::iota(indices.begin(), indices.end(), begin);
  return subset(indices);
}

TrainValidation split_validation(const Dataset& data, double share, Rng& rng) {
  check_consistent(data);
  // Written so that NaN fails too.
  if (!(share >= 0.0 && share < 1.0)) {
    throw std::invalid_argument("validation share must be in [0, 1), got " + std::to_string(share));
  }
  const int64_t n = data.size();
  const auto validation_size = static_cast<int64_t>(std::llround(share * static_cast<double>(n)));
  if (n - validation_size < 1) {
    throw std::invalid_argument("a validation share of " + std::to_string(share) + " of " + std::to_string(n) +
                                " samples leaves no training sample");
  }
  std::vector<int64_t> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), int64_t{0});
  std::shuffle(order.begin(), order.end(), rng.engine());
  const auto middle = order.begin() + validation_size;
  TrainValidation split;
  split.validation = data.subset(std::vector<int64_t>(order.begin(), middle));
  split.train = data.subset(std::vector<int64_t>(middle, order.end()));
  return split;
}

void gather(const Dataset& data, const int64_t* indices, int64_t count, Tensor<float>& x, Tensor<float>& y) {
  check_consistent(data);
  if (count < 0) throw std::invalid_argument("cannot gather " + std::to_string(count) + " samples");
  for (int64_t i = 0; i < count; ++i) check_index(data, indices[i]);
  // Shape is fixed-size and resize keeps capacity: no allocation once the
  // batch tensors have been as large as this batch.
  x.resize(data.x.shape().sample_shape().with_batch(count));
  y.resize(data.y.shape().sample_shape().with_batch(count));
  const int64_t x_row = data.x.row_size();
  const int64_t y_row = data.y.row_size();
  for (int64_t i = 0; i < count; ++i) {
    std::copy_n(data.x.row(indices[i]), x_row, x.row(i));
    std::copy_n(data.y.row(indices[i]), y_row, y.row(i));
  }
}

}  // namespace nnlab
