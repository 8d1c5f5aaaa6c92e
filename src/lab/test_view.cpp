#include "nnlab/lab/test_view.h"

#include <algorithm>
#include <cmath>

#include "nnlab/train/evaluate.h"

namespace nnlab::lab {

namespace {

// Softmax probability of the largest output, and its index.
std::pair<int64_t, double> top_class(const float* row, int64_t n) {
  const int64_t best = std::max_element(row, row + n) - row;
  double sum = 0;
  for (int64_t i = 0; i < n; ++i) sum += std::exp(static_cast<double>(row[i] - row[best]));
  return {best, 1.0 / sum};
}

}  // namespace

nlohmann::json confusion_json(const Tensor<float>& outputs, const Dataset& test,
                              const std::vector<std::string>& classes) {
  const int64_t k = test.num_classes;
  std::vector<std::vector<int64_t>> matrix(k, std::vector<int64_t>(k, 0));
  int64_t correct = 0;
  for (int64_t i = 0; i < test.size(); ++i) {
    const auto label = static_cast<int64_t>(test.y.data()[i]);
    const int64_t predicted = top_class(outputs.row(i), k).first;
    if (label >= 0 && label < k) ++matrix[label][predicted];
    correct += label == predicted;
  }
  nlohmann::json names = nlohmann::json::array();
  for (int64_t c = 0; c < k; ++c)
    names.push_back(c < static_cast<int64_t>(classes.size()) ? classes[c] : std::to_string(c));
  return {{"classes", names},
          {"matrix", matrix},
          {"accuracy", test.size() > 0 ? static_cast<double>(correct) / static_cast<double>(test.size()) : 0.0}};
}

nlohmann::json worst_json(const Tensor<float>& outputs, const Dataset& test, int count) {
  const int64_t k = test.num_classes;
  struct Wrong {
    int64_t index, predicted;
    double confidence;
  };
  std::vector<Wrong> wrong;
  for (int64_t i = 0; i < test.size(); ++i) {
    const auto [predicted, confidence] = top_class(outputs.row(i), k);
    if (predicted != static_cast<int64_t>(test.y.data()[i])) wrong.push_back({i, predicted, confidence});
  }
  std::sort(wrong.begin(), wrong.end(), [](const Wrong& a, const Wrong& b) { return a.confidence > b.confidence; });
  if (static_cast<int>(wrong.size()) > count) wrong.resize(count);
  const Shape sample = test.sample_shape();
  const bool image = sample.rank() == 3 && sample[0] == 1;
  nlohmann::json items = nlohmann::json::array();
  for (const Wrong& w : wrong) {
    nlohmann::json item = {{"index", w.index},
                           {"label", static_cast<int64_t>(test.y.data()[w.index])},
                           {"predicted", w.predicted},
                           {"confidence", w.confidence}};
    if (image) {
      const int64_t n = sample.numel();
      const float* x = test.x.row(w.index);
      const auto [lo, hi] = std::minmax_element(x, x + n);
      const double range = *hi > *lo ? *hi - *lo : 1.0;
      std::vector<int> pixels(n);
      for (int64_t p = 0; p < n; ++p) pixels[p] = static_cast<int>(std::lround(255 * (x[p] - *lo) / range));
      item["height"] = sample[1];
      item["width"] = sample[2];
      item["pixels"] = pixels;
    }
    items.push_back(std::move(item));
  }
  return {{"items", items}};
}

nlohmann::json test_view_json(const Sequential<float>& model, const Dataset& test,
                              const std::vector<std::string>& classes) {
  const Tensor<float> outputs = predict(model, test.x);
  return {{"confusion", confusion_json(outputs, test, classes)}, {"worst", worst_json(outputs, test, 16)}};
}

}  // namespace nnlab::lab
