// check_finite_tensors: a model with NaN or infinite weights or buffers is refused,
// naming the file and the tensor.

#include "nnlab/io/finite_check.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "nnlab/model/model_spec.h"

namespace nnlab {
namespace {

std::string check_error(Sequential<float>& model) {
  try {
    check_finite_tensors(model, "m.safetensors");
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

TEST(FiniteCheck, NamesTheFirstTensorWithNaNOrInfinity) {
  Sequential<float> model = build_model<float>("linear:5,relu,batchnorm,linear:3", Shape{4});
  Rng rng(1);
  model.initialize(Initializer::he_normal(), rng);
  EXPECT_EQ(check_error(model), "");
  Tensor<float>* last = nullptr;
  for (const auto& p : model.parameters()) {
    if (p.name == "3.weight") last = p.value;
  }
  ASSERT_NE(last, nullptr);
  (*last)[2] = std::numeric_limits<float>::quiet_NaN();
  (*last)[4] = -std::numeric_limits<float>::infinity();
  (*last)[5] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_EQ(check_error(model),
            "model m.safetensors: tensor 3.weight holds NaN/Inf values (2 NaN and 1 infinite of 15); the file is "
            "damaged or was saved from a run that diverged");
  // Buffers too (BatchNorm's running variance), checked after the parameters.
  for (const auto& [name, buffer] : model.buffers()) {
    if (name == "2.running_var") (*buffer)[0] = std::numeric_limits<float>::infinity();
  }
  EXPECT_EQ(check_error(model),
            "model m.safetensors: tensor 3.weight holds NaN/Inf values (2 NaN and 1 infinite of 15); the file is "
            "damaged or was saved from a run that diverged");
  for (float& w : *last) w = 0;
  EXPECT_EQ(check_error(model),
            "model m.safetensors: tensor 2.running_var holds NaN/Inf values (1 infinite of 5); the file is damaged or "
            "was saved from a run that diverged");
}

}  // namespace
}  // namespace nnlab
