#pragma once
// Shared test helpers: reading the PyTorch reference files in tests/data and
// comparing tensors.

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "nnlab/tensor/tensor.h"

namespace nnlab::test {

inline nlohmann::json load_json(const std::string& name) {
  const std::string path = std::string(NNLAB_TEST_DATA) + "/" + name;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open test data " + path);
  return nlohmann::json::parse(in);
}

// {"shape": [...], "data": [...]} → Tensor<double>
inline Tensor<double> tensor_from_json(const nlohmann::json& j) {
  return Tensor<double>(Shape(j.at("shape").get<std::vector<int64_t>>()), j.at("data").get<std::vector<double>>());
}

// The case of layers.json with this name (and, if given, these settings).
inline nlohmann::json layer_case(const std::string& name, const nlohmann::json& settings = nullptr) {
  static const nlohmann::json cases = load_json("layers.json").at("cases");
  for (const auto& c : cases) {
    if (c.at("name") == name && (settings.is_null() || c.at("settings") == settings)) return c;
  }
  throw std::runtime_error("no reference case " + name);
}

// Every element within `relative` of the expected value (relative to max(1, |expected|)).
template <typename T>
::testing::AssertionResult tensors_near(const Tensor<T>& actual, const Tensor<double>& expected, double relative) {
  if (actual.size() != expected.size()) {
    return ::testing::AssertionFailure() << "size " << actual.size() << " != expected " << expected.size();
  }
  for (int64_t i = 0; i < actual.size(); ++i) {
    const double a = static_cast<double>(actual[i]);
    const double e = expected[i];
    if (!(std::abs(a - e) <= relative * std::max(1.0, std::abs(e)))) {
      return ::testing::AssertionFailure() << "element " << i << ": " << a << " != expected " << e;
    }
  }
  return ::testing::AssertionSuccess();
}

}  // namespace nnlab::test
