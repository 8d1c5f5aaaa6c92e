#pragma once
// What the training-step benchmarks share: the MNIST batch, and timing SGD steps
// of a model with counters for samples/s and the fraction of the SGEMM limit.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>

#include "nnlab/data/mnist.h"
#include "nnlab/init/initializer.h"
#include "nnlab/kernels/threads.h"
#include "nnlab/losses/softmax_cross_entropy.h"
#include "nnlab/model/model_spec.h"
#include "nnlab/optim/sgd.h"
#include "nnlab/tensor/random.h"

namespace nnlab::bench {

// One core's SGEMM rate (OpenBLAS, 2048³) on the bench machine, from DESIGN.md.
constexpr double kSgemmPeakPerCore = 158e9;

// The first x.rows() images of the bundled sample's training part, and their labels.
inline void fill_with_mnist(Tensor<float>& x, Tensor<float>& labels) {
  const TrainTest data = load_mnist(default_mnist_folder());
  std::copy(data.train.x.data(), data.train.x.data() + x.size(), x.data());
  std::copy(data.train.y.data(), data.train.y.data() + labels.size(), labels.data());
}

// Times forward, SoftmaxCrossEntropy forward and backward, model backward and an SGD
// step (lr 0.01) of the model `spec` (He-normal weights from seed 42) on the batch
// (x, labels), with state.range(0) threads. flops_per_sample: the step's FLOPs for
// the "peak_fraction" counter.
inline void time_train_steps(benchmark::State& state, const std::string& spec, const Tensor<float>& x,
                             const Tensor<float>& labels, double flops_per_sample) {
  const int threads = static_cast<int>(state.range(0));
  const ThreadScope scope(threads);
  Rng rng(42);
  auto model = build_model<float>(spec, x.shape().sample_shape());
  model.initialize(Initializer::he_normal(), rng);
  SoftmaxCrossEntropy<float> loss;
  SGD<float> sgd(model.parameters(), 0.01);

  float last_loss = 0;
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    last_loss = loss.forward(model.forward(x), labels);
    model.zero_grad();
    model.backward(loss.backward());
    sgd.step();
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  benchmark::DoNotOptimize(last_loss);

  const double samples = static_cast<double>(state.iterations()) * static_cast<double>(x.rows());
  state.SetItemsProcessed(static_cast<int64_t>(samples));
  // The step's FLOP rate over the SGEMM limit of this many cores. Timed here rather
  // than as a rate counter so that it prints as a plain fraction.
  state.counters["peak_fraction"] = samples * flops_per_sample / seconds / (kSgemmPeakPerCore * threads);
}

}  // namespace nnlab::bench
