// Gradient accumulation: gradients add up over backward calls until zero_grad(), as in
// PyTorch (float64 reference values from scripts/reference/accumulation_reference.py), and
// the Trainer's accumulate_steps gives the step of a batch that many times larger.

#include <cmath>

#include "nnlab/losses/softmax_cross_entropy.h"
#include "nnlab/model/model_spec.h"
#include "nnlab/optim/sgd.h"
#include "nnlab/train/trainer.h"
#include "test_util.h"

namespace nnlab::test {

namespace {

const nlohmann::json& accumulation_case(const std::string& name) {
  static const nlohmann::json cases = load_json("accumulation.json").at("cases");
  for (const auto& c : cases) {
    if (c.at("name") == name) return c;
  }
  throw std::runtime_error("no case " + name + " in accumulation.json");
}

// Rows [begin, end) of a batch.
Tensor<double> rows(const Tensor<double>& t, int64_t begin, int64_t end) {
  Shape shape = t.shape();
  shape[0] = end - begin;
  Tensor<double> part(shape);
  const int64_t row = t.row_size();
  std::copy(t.data() + begin * row, t.data() + end * row, part.data());
  return part;
}

Sequential<double> model_of(const nlohmann::json& c) {
  Sequential<double> model = build_model<double>(c.at("spec"), Shape(c.at("input_sample").get<std::vector<int64_t>>()));
  for (const auto& p : model.parameters()) {
    const Tensor<double> value = tensor_from_json(c.at("params").at(p.name));
    EXPECT_EQ(value.size(), p.value->size()) << p.name;
    std::copy(value.data(), value.data() + value.size(), p.value->data());
  }
  return model;
}

}  // namespace

TEST(GradientAccumulation, MicroBatchesSumToPyTorchsGradients) {
  for (const char* name : {"mlp_sparse_input", "mlp_uneven", "conv"}) {
    SCOPED_TRACE(name);
    const auto& c = accumulation_case(name);
    Sequential<double> model = model_of(c);
    const Tensor<double> x = tensor_from_json(c.at("x"));
    const auto labels = c.at("labels").get<std::vector<double>>();
    const Tensor<double> y(Shape{static_cast<int64_t>(labels.size())}, labels);
    SoftmaxCrossEntropy<double> loss;
    // Gradients left over from an earlier batch: zero_grad() must start a new sum.
    loss.forward(model.forward(x), y);
    model.backward(loss.backward());
    model.zero_grad();
    int64_t start = 0;
    const auto total = static_cast<double>(x.rows());
    for (int64_t size : c.at("micro_batches").get<std::vector<int64_t>>()) {
      const Tensor<double> xs = rows(x, start, start + size);
      const Tensor<double> ys = rows(y, start, start + size);
      loss.forward(model.forward(xs), ys);
      model.backward(loss.backward(static_cast<double>(size) / total));
      start += size;
    }
    for (const auto& p : model.parameters()) {
      EXPECT_TRUE(tensors_near(*p.grad, tensor_from_json(c.at("dparams").at(p.name)), 1e-12)) << p.name;
      EXPECT_TRUE(tensors_near(*p.grad, tensor_from_json(c.at("big_dparams").at(p.name)), 1e-12)) << p.name;
    }
    SGD<double> sgd(model.parameters(), 0.1);
    sgd.step();
    for (const auto& p : model.parameters()) {
      EXPECT_TRUE(tensors_near(*p.value, tensor_from_json(c.at("sgd_step").at(p.name)), 1e-12)) << p.name;
    }
  }
}

TEST(GradientAccumulation, BackwardAddsUntilZeroGrad) {
  const auto& c = accumulation_case("conv");
  Sequential<double> model = model_of(c);
  const Tensor<double> x = tensor_from_json(c.at("x"));
  const Tensor<double> dy(Shape{x.rows(), 3}, std::vector<double>(static_cast<size_t>(x.rows() * 3), 0.25));
  model.forward(x);
  model.backward(dy);
  std::vector<Tensor<double>> once;
  for (const auto& p : model.parameters()) once.push_back(*p.grad);
  model.forward(x);
  model.backward(dy);  // no zero_grad: twice the gradient
  auto params = model.parameters();
  for (size_t i = 0; i < params.size(); ++i) {
    for (int64_t j = 0; j < once[i].size(); ++j) EXPECT_DOUBLE_EQ((*params[i].grad)[j], 2 * once[i][j]);
  }
  model.zero_grad();
  model.forward(x);
  model.backward(dy);
  for (size_t i = 0; i < params.size(); ++i) {
    for (int64_t j = 0; j < once[i].size(); ++j) EXPECT_DOUBLE_EQ((*params[i].grad)[j], once[i][j]);
  }
}

namespace {

// 40 points of four classes in 6 dimensions, some coordinates zero.
Dataset small_data() {
  Rng rng(5);
  Dataset d;
  d.num_classes = 4;
  d.x = Tensor<float>(Shape{40, 6});
  d.y = Tensor<float>(Shape{40});
  for (int64_t i = 0; i < 40; ++i) {
    d.y[i] = static_cast<float>(i % 4);
    for (int64_t j = 0; j < 6; ++j) d.x[i * 6 + j] = (i + j) % 3 == 0 ? 0.f : static_cast<float>(rng.normal());
  }
  return d;
}

struct Trained {
  std::vector<Tensor<float>> weights;
  History history;
};

Trained train_small(int64_t batch_size, int64_t accumulate_steps, const std::string& spec) {
  const Dataset data = small_data();
  Rng rng(3);
  Sequential<float> model = build_model<float>(spec, data.sample_shape());
  model.initialize(Initializer::he_normal(), rng);
  SoftmaxCrossEntropy<float> loss;
  SGD<float> sgd(model.parameters(), 0.2);
  Trainer trainer(model, loss, sgd);
  FitOptions options{.epochs = 3, .batch_size = batch_size, .shuffle = true};
  options.accumulate_steps = accumulate_steps;
  Trained out;
  out.history = trainer.fit(data, nullptr, options, rng);
  for (const auto& p : model.parameters()) out.weights.push_back(*p.value);
  return out;
}

}  // namespace

// 40 samples in batches of 16, two per step: steps of 32 samples (two batches, each half of
// the step's gradient) and of the 8 left (one batch), as batches of 32 give; in batches of 8,
// four per step, the same.
TEST(GradientAccumulation, TrainerStepsEqualOnesOfTheLargerBatch) {
  for (const std::string spec : {"linear:8,relu,linear:4", "linear:8,tanh,layernorm,linear:4"}) {
    SCOPED_TRACE(spec);
    const Trained big = train_small(32, 1, spec);
    const Trained accumulated = train_small(16, 2, spec);
    const Trained fours = train_small(8, 4, spec);
    ASSERT_EQ(big.history.step_loss.size(), 6u);  // 2 steps per epoch
    for (const Trained* other : {&accumulated, &fours}) {
      ASSERT_EQ(other->history.step_loss.size(), big.history.step_loss.size());
      ASSERT_EQ(other->history.epochs.size(), 3u);
      for (size_t i = 0; i < big.history.step_loss.size(); ++i) {
        EXPECT_NEAR(other->history.step_loss[i], big.history.step_loss[i], 2e-6) << i;
      }
      EXPECT_NEAR(other->history.epochs.back().train_loss, big.history.epochs.back().train_loss, 2e-6);
      EXPECT_DOUBLE_EQ(other->history.epochs.back().train_accuracy, big.history.epochs.back().train_accuracy);
      for (size_t p = 0; p < big.weights.size(); ++p) {
        for (int64_t j = 0; j < big.weights[p].size(); ++j) {
          EXPECT_NEAR(other->weights[p][j], big.weights[p][j], 2e-6) << p << " " << j;
        }
      }
    }
  }
  // Without accumulation, batches of 16 take 3 steps per epoch and end elsewhere.
  const Trained small = train_small(16, 1, "linear:8,relu,linear:4");
  EXPECT_EQ(small.history.step_loss.size(), 9u);
}

TEST(GradientAccumulation, RejectsZeroSteps) {
  const Dataset data = small_data();
  Rng rng(1);
  Sequential<float> model = build_model<float>("linear:4", data.sample_shape());
  SoftmaxCrossEntropy<float> loss;
  SGD<float> sgd(model.parameters(), 0.1);
  Trainer trainer(model, loss, sgd);
  FitOptions options{.epochs = 1};
  options.accumulate_steps = 0;
  EXPECT_THROW(trainer.fit(data, nullptr, options, rng), std::invalid_argument);
}

}  // namespace nnlab::test
