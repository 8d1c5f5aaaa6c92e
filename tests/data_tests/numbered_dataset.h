#pragma once
// A dataset whose every row says which sample it is, for tests that follow
// samples through subsets, splits and batches.

#include <gtest/gtest.h>

#include <vector>

#include "nnlab/data/dataset.h"

namespace nnlab::test {

// Sample i has inputs {i, i + 0.5, -i} and label i % 4.
inline Dataset numbered(int64_t n) {
  Dataset data;
  data.num_classes = 4;
  data.x = Tensor<float>(Shape{n, 3});
  data.y = Tensor<float>(Shape{n});
  for (int64_t i = 0; i < n; ++i) {
    data.x.row(i)[0] = static_cast<float>(i);
    data.x.row(i)[1] = static_cast<float>(i) + 0.5f;
    data.x.row(i)[2] = -static_cast<float>(i);
    data.y[i] = static_cast<float>(i % 4);
  }
  return data;
}

// The sample numbers of a batch (x, y) of numbered(); expects each row intact.
inline std::vector<int64_t> sample_ids(const Tensor<float>& x, const Tensor<float>& y) {
  std::vector<int64_t> ids;
  for (int64_t r = 0; r < x.rows(); ++r) {
    const float id = x.row(r)[0];
    EXPECT_EQ(x.row(r)[1], id + 0.5f);
    EXPECT_EQ(x.row(r)[2], -id);
    EXPECT_EQ(y[r], static_cast<float>(static_cast<int64_t>(id) % 4));
    ids.push_back(static_cast<int64_t>(id));
  }
  return ids;
}

inline std::vector<int64_t> sample_ids(const Dataset& part) { return sample_ids(part.x, part.y); }

}  // namespace nnlab::test
