#pragma once
// Checks every layer test runs: PyTorch's reference values, and the gradient check.

#include <algorithm>
#include <cmath>

#include "nnlab/gradcheck/gradcheck.h"
#include "nnlab/layers/layer.h"
#include "nnlab/model/model_spec.h"
#include "test_util.h"

namespace nnlab::test {

// The case's tensor for parameter `name` among `tensors` (params or dparams).
// layers.json names the normalisation layers' weight and bias gamma and beta.
inline const nlohmann::json& reference_tensor(const nlohmann::json& tensors, const std::string& name) {
  if (!tensors.contains(name) && name == "weight" && tensors.contains("gamma")) return tensors.at("gamma");
  if (!tensors.contains(name) && name == "bias" && tensors.contains("beta")) return tensors.at("beta");
  return tensors.at(name);
}

// Loads the case's parameters into the layer, runs forward and backward, and
// compares y, dx and every parameter gradient with PyTorch's float64 values.
template <typename T>
void expect_matches_reference(Layer<T>& layer, const nlohmann::json& c, double tolerance) {
  for (auto& p : layer.parameters()) {
    const Tensor<double> value = tensor_from_json(reference_tensor(c.at("params"), p.name));
    ASSERT_EQ(value.size(), p.value->size()) << p.name;
    for (int64_t i = 0; i < value.size(); ++i) (*p.value)[i] = static_cast<T>(value[i]);
  }
  const Tensor<T> x = tensor_from_json(c.at("x")).cast<T>();
  const Tensor<T> dy = tensor_from_json(c.at("dy")).cast<T>();
  layer.set_needs_input_grad(true);
  const Tensor<T>& y = layer.forward(x);
  EXPECT_EQ(y.shape(), tensor_from_json(c.at("y")).shape());
  EXPECT_TRUE(tensors_near(y, tensor_from_json(c.at("y")), tolerance)) << "forward";
  layer.zero_grad();
  const Tensor<T>& dx = layer.backward(dy);
  EXPECT_EQ(dx.shape(), x.shape());
  EXPECT_TRUE(tensors_near(dx, tensor_from_json(c.at("dx")), tolerance)) << "input gradient";
  for (auto& p : layer.parameters()) {
    EXPECT_TRUE(tensors_near(*p.grad, tensor_from_json(reference_tensor(c.at("dparams"), p.name)), tolerance))
        << p.name;
  }
}

// Central-difference check in float64 at a random input of this shape.
inline void expect_gradients_check(Layer<double>& layer, const Shape& input_shape, uint64_t seed = 1,
                                   double tolerance = 1e-7) {
  Rng rng(seed);
  layer.initialize(Initializer::normal(0.5), rng);
  for (auto& p : layer.parameters()) {
    for (double& v : *p.value) v = rng.normal();  // biases too, so they are not all zero
  }
  Tensor<double> x(input_shape);
  for (double& v : x) v = rng.normal();
  const GradientCheckReport report = check_layer_gradients(layer, x, rng);
  EXPECT_TRUE(report.passed(tolerance)) << report.str();
  EXPECT_GT(report.entries.size(), 0u);
}

// The message build_model gives for `spec`, or "no error".
inline std::string spec_error(const std::string& spec, const Shape& input) {
  try {
    build_model<float>(spec, input);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "no error";
}

// Largest |a − b| over the largest |b|: a float result's error relative to the double reference's scale.
inline double relative_error(const Tensor<float>& a, const Tensor<double>& b) {
  double error = 0, scale = 0;
  for (int64_t i = 0; i < b.size(); ++i) {
    error = std::max(error, std::abs(static_cast<double>(a[i]) - b[i]));
    scale = std::max(scale, std::abs(b[i]));
  }
  return error / scale;
}

}  // namespace nnlab::test
