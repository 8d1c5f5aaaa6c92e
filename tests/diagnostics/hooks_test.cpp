// Forward and backward hooks on Sequential: what they see, and that removing them works.

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "nnlab/layers/linear.h"
#include "nnlab/layers/relu.h"
#include "nnlab/model/sequential.h"

namespace nnlab {
namespace {

Sequential<float> tiny_model() {
  Sequential<float> model(Shape{3});
  model.add(std::make_unique<Linear<float>>(3, 4)).add(std::make_unique<ReLU<float>>());
  model.add(std::make_unique<Linear<float>>(4, 2));
  Rng rng(7);
  model.initialize(Initializer::he_normal(), rng);
  return model;
}

Tensor<float> batch() { return Tensor<float>(Shape{2, 3}, {0.5f, -1.0f, 2.0f, 1.5f, 0.25f, -0.75f}); }

std::vector<float> values(const Tensor<float>& t) { return {t.begin(), t.end()}; }

TEST(Hooks, ForwardHooksSeeEachLayersInputAndOutput) {
  Sequential<float> model = tiny_model();
  std::vector<size_t> indices;
  std::vector<std::vector<float>> inputs, outputs;
  HookHandle<float> h =
      model.add_forward_hook([&](size_t i, Layer<float>& /*layer*/, const Tensor<float>& in, const Tensor<float>& out) {
        indices.push_back(i);
        inputs.push_back(values(in));
        outputs.push_back(values(out));
      });
  const Tensor<float> x = batch();
  const std::vector<float> y = values(model.forward(x));
  ASSERT_EQ(indices, (std::vector<size_t>{0, 1, 2}));
  EXPECT_EQ(inputs[0], values(x));
  EXPECT_EQ(inputs[1], outputs[0]);
  EXPECT_EQ(inputs[2], outputs[1]);
  EXPECT_EQ(outputs[2], y);
  for (float v : outputs[1]) EXPECT_GE(v, 0.0f);  // the ReLU's output
}

TEST(Hooks, BackwardHooksSeeOutputAndInputGradients) {
  Sequential<float> model = tiny_model();
  std::vector<size_t> indices;
  std::vector<std::vector<float>> output_grads, input_grads;
  HookHandle<float> h =
      model.add_backward_hook([&](size_t i, Layer<float>&, const Tensor<float>& dy, const Tensor<float>& dx) {
        indices.push_back(i);
        output_grads.push_back(values(dy));
        input_grads.push_back(values(dx));
      });
  model.forward(batch());
  const Tensor<float> dy(Shape{2, 2}, {1.0f, -2.0f, 0.5f, 3.0f});
  model.backward(dy);
  ASSERT_EQ(indices, (std::vector<size_t>{2, 1, 0}));
  EXPECT_EQ(output_grads[0], values(dy));
  EXPECT_EQ(output_grads[1], input_grads[0]);
  EXPECT_EQ(output_grads[2], input_grads[1]);
  // The first layer does not compute dL/d(input) in training: its hooks get an empty tensor.
  EXPECT_TRUE(input_grads[2].empty());

  model.set_input_grad(true);
  input_grads.clear();
  model.forward(batch());
  const std::vector<float> dx = values(model.backward(dy));
  ASSERT_EQ(input_grads.size(), 3u);
  EXPECT_EQ(input_grads[2], dx);
  EXPECT_EQ(dx.size(), 6u);
}

TEST(Hooks, PerLayerHooksOnlySeeTheirLayer) {
  Sequential<float> model = tiny_model();
  std::vector<size_t> seen;
  HookHandle<float> h =
      model.add_forward_hook(1, [&](size_t i, Layer<float>& layer, const Tensor<float>&, const Tensor<float>&) {
        seen.push_back(i);
        EXPECT_EQ(layer.type(), "ReLU");
      });
  model.forward(batch());
  EXPECT_EQ(seen, (std::vector<size_t>{1}));
  EXPECT_THROW(
      (void)model.add_forward_hook(3, [](size_t, Layer<float>&, const Tensor<float>&, const Tensor<float>&) {}),
      std::out_of_range);
}

TEST(Hooks, RemoveAndScopeUnregister) {
  Sequential<float> model = tiny_model();
  int calls = 0;
  auto count = [&](size_t, Layer<float>&, const Tensor<float>&, const Tensor<float>&) { ++calls; };
  HookHandle<float> h = model.add_forward_hook(count);
  model.forward(batch());
  EXPECT_EQ(calls, 3);
  h.remove();
  EXPECT_FALSE(h.active());
  model.forward(batch());
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(model.hook_count(), 0u);
  {
    HookHandle<float> scoped =
        model.add_backward_hook(0, [&](size_t, Layer<float>&, const Tensor<float>&, const Tensor<float>&) { ++calls; });
    EXPECT_EQ(model.hook_count(), 1u);
  }
  EXPECT_EQ(model.hook_count(), 0u);
  // Kept by id, removed by id.
  const uint64_t id = model.add_forward_hook(count).release();
  EXPECT_EQ(model.hook_count(), 1u);
  model.remove_hook(id);
  EXPECT_EQ(model.hook_count(), 0u);
}

TEST(Hooks, HandleOutlivesAndFollowsTheModel) {
  HookHandle<float> h;
  int calls = 0;
  {
    Sequential<float> model = tiny_model();
    h = model.add_forward_hook(2, [&](size_t, Layer<float>&, const Tensor<float>&, const Tensor<float>&) { ++calls; });
    Sequential<float> moved = std::move(model);  // the hooks move with the layers
    moved.forward(batch());
    EXPECT_EQ(calls, 1);
    h.remove();
    moved.forward(batch());
    EXPECT_EQ(calls, 1);
    h = moved.add_forward_hook(2, [&](size_t, Layer<float>&, const Tensor<float>&, const Tensor<float>&) {});
  }
  h.remove();  // the model is gone: nothing to do, no crash
  EXPECT_FALSE(h.active());
}

}  // namespace
}  // namespace nnlab
