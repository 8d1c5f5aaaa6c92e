// Optimizer state dicts: a run saved after K steps and resumed in a fresh optimizer
// over a copy of the parameters takes exactly the steps the uninterrupted run takes.

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <memory>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

#include "nnlab/optim/adam.h"
#include "nnlab/optim/factory.h"
#include "nnlab/optim/schedule.h"
#include "nnlab/optim/sgd.h"
#include "nnlab/state/state_dict.h"
#include "optim/optimizer_options.h"
#include "temp_dir.h"

namespace nnlab::test {
namespace {

// A weight (decayed) and a bias (not), each with its own storage.
template <typename T>
struct Model {
  Tensor<T> weight{Shape{2, 3}, std::vector<T>{T(0.5), T(-1.0), T(2.0), T(-0.3), T(0.7), T(1.5)}};
  Tensor<T> weight_grad{Shape{2, 3}};
  Tensor<T> bias{Shape{3}, std::vector<T>{T(0.1), T(-0.2), T(0.05)}};
  Tensor<T> bias_grad{Shape{3}};

  std::vector<Parameter<T>> parameters() {
    return {{"weight", &weight, &weight_grad, true}, {"bias", &bias, &bias_grad, false}};
  }
  // The gradient of 0.5·Σ aᵢ·wᵢ² plus a term that changes with the step, so that
  // every coordinate and every step differ.
  void set_gradients(int step) {
    for (auto [value, grad] : {std::pair{&weight, &weight_grad}, {&bias, &bias_grad}}) {
      for (int64_t i = 0; i < value->size(); ++i) {
        (*grad)[i] = (T(1) + T(i) / T(4)) * (*value)[i] + static_cast<T>(0.1 * std::sin(step + i));
      }
    }
  }
};

template <typename T>
::testing::AssertionResult bit_identical(const Tensor<T>& a, const Tensor<T>& b) {
  using Bits = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
  for (int64_t i = 0; i < a.size(); ++i) {
    if (std::bit_cast<Bits>(a[i]) != std::bit_cast<Bits>(b[i])) {
      return ::testing::AssertionFailure() << "element " << i << ": " << a[i] << " != " << b[i];
    }
  }
  return ::testing::AssertionSuccess();
}

const std::vector<std::pair<std::string, WeightDecay>> kDecays = {
    {"none", WeightDecay::none()}, {"l2", WeightDecay::l2(0.01)}, {"l1", WeightDecay::l1(0.02)}};

// K steps, save (through a file), resume in a fresh optimizer over a copy, M more steps each.
template <typename T>
void expect_resume_is_exact(const std::string& name, WeightDecay decay, int k, int m) {
  SCOPED_TRACE(name);
  Model<T> uninterrupted;
  auto original = make_optimizer<T>(options(name, decay), uninterrupted.parameters());
  for (int step = 0; step < k; ++step) {
    uninterrupted.set_gradients(step);
    original->step();
  }
  TempDir dir;
  write_state_dict(dir.file("optimizer.safetensors"), original->state_dict());

  Model<T> resumed = uninterrupted;  // the weights as a model checkpoint would restore them
  auto fresh = make_optimizer<T>(options(name, decay), resumed.parameters());
  fresh->load_state_dict(read_state_dict(dir.file("optimizer.safetensors")));
  EXPECT_EQ(fresh->steps(), k);
  EXPECT_EQ(fresh->state_dict(), original->state_dict());
  for (int step = k; step < k + m; ++step) {
    uninterrupted.set_gradients(step);
    resumed.set_gradients(step);
    original->step();
    fresh->step();
  }
  EXPECT_TRUE(bit_identical(resumed.weight, uninterrupted.weight));
  EXPECT_TRUE(bit_identical(resumed.bias, uninterrupted.bias));
  EXPECT_EQ(fresh->state_dict(), original->state_dict());

  // Without the state the run would differ (SGD has none besides its step count).
  if (name == "sgd" || k == 0) return;
  Model<T> restarted = uninterrupted;
  Model<T> reference = uninterrupted;
  auto cold = make_optimizer<T>(options(name, decay), restarted.parameters());
  restarted.set_gradients(0);
  cold->step();
  reference.set_gradients(0);
  original->step();
  EXPECT_FALSE(bit_identical(restarted.weight, reference.weight));
}

class EveryOptimizerState : public ::testing::TestWithParam<std::string> {};

TEST_P(EveryOptimizerState, ResumedRunIsBitIdenticalInFloatAndDouble) {
  for (const auto& [label, decay] : kDecays) {
    SCOPED_TRACE(label);
    expect_resume_is_exact<float>(GetParam(), decay, 5, 7);
    expect_resume_is_exact<double>(GetParam(), decay, 5, 7);
  }
}

// Before the first step the state is the zero buffers and step 0: it round-trips too.
TEST_P(EveryOptimizerState, StateBeforeTheFirstStepRoundTrips) {
  expect_resume_is_exact<float>(GetParam(), WeightDecay::l2(0.01), 0, 4);
  expect_resume_is_exact<double>(GetParam(), WeightDecay::none(), 0, 4);
}

INSTANTIATE_TEST_SUITE_P(Optimizers, EveryOptimizerState,
                         ::testing::Values("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"));

// PyTorch's names for the per-parameter buffers, nnlab's for the rest.
TEST(OptimizerState, NamesFollowPyTorch) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> buffers = {{"sgd", {}},
                                                                                 {"momentum", {"momentum_buffer"}},
                                                                                 {"nesterov", {"momentum_buffer"}},
                                                                                 {"adagrad", {"sum"}},
                                                                                 {"rmsprop", {"square_avg"}},
                                                                                 {"adam", {"exp_avg", "exp_avg_sq"}},
                                                                                 {"adamw", {"exp_avg", "exp_avg_sq"}}};
  const std::vector<std::pair<std::string, std::vector<std::string>>> hyper = {{"sgd", {}},
                                                                               {"momentum", {"momentum", "nesterov"}},
                                                                               {"nesterov", {"momentum", "nesterov"}},
                                                                               {"adagrad", {"eps", "lr_decay"}},
                                                                               {"rmsprop", {"alpha", "eps"}},
                                                                               {"adam", {"beta1", "beta2", "eps"}},
                                                                               {"adamw", {"beta1", "beta2", "eps"}}};
  for (size_t o = 0; o < buffers.size(); ++o) {
    Model<float> model;
    auto optimizer = make_optimizer<float>(options(buffers[o].first, {}), model.parameters());
    std::vector<std::string> expected = {"type",
                                         "param_groups.0.l1_weight_decay",
                                         "param_groups.0.lr",
                                         "param_groups.0.params",
                                         "param_groups.0.step",
                                         "param_groups.0.weight_decay"};
    for (const auto& h : hyper[o].second) expected.push_back("param_groups.0." + h);
    for (const auto& b : buffers[o].second) {
      expected.push_back("state.0." + b);
      expected.push_back("state.1." + b);
    }
    std::sort(expected.begin(), expected.end());
    const StateDict state = optimizer->state_dict();
    EXPECT_EQ(state.names(), expected) << buffers[o].first;
    EXPECT_EQ(state.get_bytes("type"), optimizer->name());
    EXPECT_EQ(state.get_ints("param_groups.0.params"), (std::vector<int64_t>{0, 1}));
  }
  Model<float> model;
  Adam<float> adam(model.parameters(), 0.01, 0.8, 0.95);
  model.set_gradients(0);
  adam.step();
  const StateDict state = adam.state_dict();
  EXPECT_EQ(state.get_double("param_groups.0.lr"), 0.01);
  EXPECT_EQ(state.get_int("param_groups.0.step"), 1);
  EXPECT_EQ(state.get_double("param_groups.0.beta2"), 0.95);
  // After one step m = (1 − β1)·g.
  const Tensor<float> m = state.tensor<float>("state.1.exp_avg", Shape{3});
  EXPECT_EQ(m[0], static_cast<float>(0.2f * model.bias_grad[0]));
}

std::string load_error(Optimizer<float>& optimizer, const StateDict& state) {
  const StateDict before = optimizer.state_dict();
  try {
    optimizer.load_state_dict(state);
  } catch (const std::runtime_error& error) {
    EXPECT_EQ(optimizer.state_dict(), before) << "a failed load changed the optimizer";
    return error.what();
  }
  ADD_FAILURE() << "no error";
  return "";
}

TEST(OptimizerState, LoadingIntoAnotherOptimizerNamesTheMismatch) {
  Model<float> model;
  Adam<float> adam(model.parameters());
  model.set_gradients(0);
  adam.step();
  const StateDict state = adam.state_dict();

  Model<float> other;
  auto sgd = make_optimizer<float>(options("sgd", {}), other.parameters());
  EXPECT_EQ(load_error(*sgd, state), "SGD optimizer: cannot load the state: it is the state of Adam, not of SGD");

  Tensor<float> extra_value(Shape{4}), extra_grad(Shape{4});
  std::vector<Parameter<float>> three = other.parameters();
  three.push_back({"extra", &extra_value, &extra_grad, true});
  Adam<float> more(three);
  EXPECT_EQ(load_error(more, state),
            "Adam optimizer: cannot load the state: it holds 2 parameters, this optimizer has 3");

  Tensor<float> wide_value(Shape{4}), wide_grad(Shape{4});
  Adam<float> reshaped({other.parameters()[0], {"bias", &wide_value, &wide_grad, false}});
  EXPECT_EQ(load_error(reshaped, state),
            "Adam optimizer: cannot load the state: entry 'state.1.exp_avg' is F32 of shape [3], but parameter 1 "
            "('bias') has shape [4]");

  Adam<float> other_beta(other.parameters(), 1e-3, 0.9, 0.99);
  EXPECT_EQ(load_error(other_beta, state),
            "Adam optimizer: cannot load the state: it was saved with beta2 0.999, this optimizer has 0.99");

  auto adam_with_decay = make_optimizer<float>(options("adam", WeightDecay::l2(0.1)), other.parameters());
  EXPECT_EQ(load_error(*adam_with_decay, state),
            "Adam optimizer: cannot load the state: it was saved with weight_decay 0, this optimizer has 0.1");

  StateDict missing;
  for (const auto& [name, entry] : state.entries()) {
    if (name != "state.0.exp_avg_sq") missing.put_entry(name, entry);
  }
  Adam<float> fresh(other.parameters());
  EXPECT_EQ(load_error(fresh, missing),
            "Adam optimizer: cannot load the state: the state dict: state entry 'state.0.exp_avg_sq' is missing");
  StateDict extra = state;
  extra.put_int("state.0.max_exp_avg_sq", 0);
  EXPECT_EQ(load_error(fresh, extra),
            "Adam optimizer: cannot load the state: the state dict: unexpected state entry 'state.0.max_exp_avg_sq'");
  // A float state does not load into a double optimizer.
  Model<double> doubles;
  Adam<double> adam_double(doubles.parameters());
  try {
    adam_double.load_state_dict(state);
    ADD_FAILURE() << "no error";
  } catch (const std::runtime_error& error) {
    EXPECT_EQ(
        std::string(error.what()),
        "Adam optimizer: cannot load the state: state entry 'state.0.exp_avg' is F32 of shape [2, 3], expected F64 "
        "of shape [2, 3]");
  }
}

// Schedules hold no state: the lr of step t is a function of t, and t is the
// optimizer's step count, which its state dict keeps. A resumed run gets the same
// rates and the same weights.
TEST(OptimizerState, ResumedScheduleGivesTheSameRates) {
  const int64_t total = 20, k = 8;
  auto schedule = parse_schedule("warmup:3+cosine:0.001", 0.1, total);
  Model<float> uninterrupted;
  auto original = make_optimizer<float>(options("momentum", WeightDecay::l2(0.01)), uninterrupted.parameters());
  std::vector<double> rates;
  for (int step = 0; step < k; ++step) {
    original->set_lr(schedule->lr(original->steps()));
    uninterrupted.set_gradients(step);
    original->step();
  }
  const StateDict saved = original->state_dict();
  Model<float> resumed = uninterrupted;
  auto fresh = make_optimizer<float>(options("momentum", WeightDecay::l2(0.01)), resumed.parameters());
  fresh->load_state_dict(saved);
  auto rebuilt = parse_schedule("warmup:3+cosine:0.001", 0.1, total);  // as a resumed command line builds it
  for (int step = static_cast<int>(k); step < total; ++step) {
    original->set_lr(schedule->lr(original->steps()));
    fresh->set_lr(rebuilt->lr(fresh->steps()));
    EXPECT_EQ(fresh->lr(), original->lr()) << step;
    uninterrupted.set_gradients(step);
    resumed.set_gradients(step);
    original->step();
    fresh->step();
  }
  EXPECT_EQ(fresh->lr(), 0.001 + (0.1 - 0.001) * 0.5 * (1 + std::cos(std::numbers::pi * 16.0 / 17.0)));
  EXPECT_TRUE(bit_identical(resumed.weight, uninterrupted.weight));
  EXPECT_TRUE(bit_identical(resumed.bias, uninterrupted.bias));
}

}  // namespace
}  // namespace nnlab::test
