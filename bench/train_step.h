#pragma once
// What the benchmarks share: the MNIST batch, the FLOPs of a model, and timing training
// steps and forward passes with counters for samples/s (items_per_second), the step's
// FLOPs per sample (bench/table.py divides the rate by the measured FMA peak) and, for
// Adam, the optimizer step's share of the time.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "nnlab/data/mnist.h"
#include "nnlab/init/initializer.h"
#include "nnlab/kernels/threads.h"
#include "nnlab/losses/softmax_cross_entropy.h"
#include "nnlab/model/model_spec.h"
#include "nnlab/optim/adam.h"
#include "nnlab/optim/sgd.h"
#include "nnlab/tensor/random.h"

namespace nnlab::bench {

// The first x.rows() images of the bundled sample's training part, and their labels.
inline void fill_with_mnist(Tensor<float>& x, Tensor<float>& labels) {
  const TrainTest data = load_mnist(default_mnist_folder());
  std::copy(data.train.x.data(), data.train.x.data() + x.size(), x.data());
  std::copy(data.train.y.data(), data.train.y.data() + labels.size(), labels.data());
}

// Forward FLOPs per sample of the products (Conv2d, Linear) in `module` for input samples of
// `input`: 2 · output values · fan-in each. Containers are walked: a Residual's body and
// shortcut both see its input; any other container's children run in order. `first` is set to
// the first product's FLOPs (the one whose input gradient a training step does not compute).
inline double forward_flops(const Module<float>& module, const Shape& input, double& first) {
  const auto children = module.children();
  if (children.empty()) {
    if (module.type() != "Conv2d" && module.type() != "Linear") return 0;
    const Shape out = module.output_shape(input);
    auto& leaf = const_cast<Module<float>&>(module);
    const double weights = static_cast<double>(leaf.parameters().front().value->size());
    const double fan_in = weights / static_cast<double>(out[0]);
    const double flops = 2.0 * fan_in * static_cast<double>(out.numel());
    if (first < 0) first = flops;
    return flops;
  }
  double flops = 0;
  if (module.type() == "Residual") {
    for (const auto& [name, child] : children) flops += forward_flops(*child, input, first);
    return flops;
  }
  Shape shape = input;
  for (const auto& [name, child] : children) {
    flops += forward_flops(*child, shape, first);
    shape = child->output_shape(shape);
  }
  return flops;
}

// A training step's FLOPs per sample: forward, dW and dx of every product, but dx of the first.
inline double step_flops(const Module<float>& model, const Shape& input) {
  double first = -1;
  const double forward = forward_flops(model, input, first);
  return 3 * forward - std::max(first, 0.0);
}

enum class Step { kSgd, kAdam };

// Times forward, SoftmaxCrossEntropy forward and backward, model backward and an optimizer
// step (SGD lr 0.01, or Adam lr 0.001) of the model `spec` (He-normal weights from seed 42) on
// the batch (x, labels), with state.range(0) threads.
inline void time_train_steps(benchmark::State& state, const std::string& spec, const Tensor<float>& x,
                             const Tensor<float>& labels, Step kind = Step::kSgd) {
  const int threads = static_cast<int>(state.range(0));
  const ThreadScope scope(threads);
  Rng rng(42);
  auto model = build_model<float>(spec, x.shape().sample_shape());
  model.initialize(Initializer::he_normal(), rng);
  SoftmaxCrossEntropy<float> loss;
  std::unique_ptr<Optimizer<float>> optimizer;
  if (kind == Step::kSgd) {
    optimizer = std::make_unique<SGD<float>>(model.parameters(), 0.01);
  } else {
    optimizer = std::make_unique<Adam<float>>(model.parameters(), 0.001);
  }

  using Clock = std::chrono::steady_clock;
  float last_loss = 0;
  Clock::duration in_optimizer{};
  const auto start = Clock::now();
  for (auto _ : state) {
    last_loss = loss.forward(model.forward(x), labels);
    model.zero_grad();
    model.backward(loss.backward());
    const auto before_step = Clock::now();
    optimizer->step();
    in_optimizer += Clock::now() - before_step;
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  benchmark::DoNotOptimize(last_loss);

  state.SetItemsProcessed(state.iterations() * x.rows());
  state.counters["flops_per_sample"] = step_flops(model, x.shape().sample_shape());
  state.counters["optimizer_share"] = std::chrono::duration<double>(in_optimizer).count() / seconds;
}

// Times the forward pass in evaluation mode (Dropout off, BatchNorm's running statistics) of
// the model `spec` on the batch x, with state.range(0) threads: inference throughput for a
// large batch, latency for one sample (the time per iteration).
inline void time_forward(benchmark::State& state, const std::string& spec, const Tensor<float>& x) {
  const ThreadScope scope(static_cast<int>(state.range(0)));
  Rng rng(42);
  auto model = build_model<float>(spec, x.shape().sample_shape());
  model.initialize(Initializer::he_normal(), rng);
  model.eval();
  float first = 0;
  for (auto _ : state) first = model.forward(x).data()[0];
  benchmark::DoNotOptimize(first);
  state.SetItemsProcessed(state.iterations() * x.rows());
  double first_product = -1;
  state.counters["flops_per_sample"] = forward_flops(model, x.shape().sample_shape(), first_product);
}

}  // namespace nnlab::bench
