#pragma once
// What the page shows of a classifier after training: the confusion matrix on the test data and
// the test samples it got most wrong (images: their pixels, to draw).

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "nnlab/data/dataset.h"
#include "nnlab/model/sequential.h"

namespace nnlab::lab {

// {"classes": [...names], "matrix": [[count of true i predicted j]], "accuracy": A}.
nlohmann::json confusion_json(const Tensor<float>& outputs, const Dataset& test,
                              const std::vector<std::string>& classes);
// The `count` misclassified samples of highest confidence in their wrong class: {"items": [{"label",
// "predicted", "confidence", "pixels" (0-255, row by row), "height", "width"}]}; pixels only for
// images of one channel.
nlohmann::json worst_json(const Tensor<float>& outputs, const Dataset& test, int count);
// Both, from the model's outputs for the test data (Predictor, in eval mode).
nlohmann::json test_view_json(const Sequential<float>& model, const Dataset& test,
                              const std::vector<std::string>& classes);

}  // namespace nnlab::lab
