// One training step of SimpleConvNet (the `simple-cnn` preset: Conv 30@5×5, ReLU,
// MaxPool 2, Linear 100, ReLU, Linear 10), batch 100, float, on the first 100 images of
// the bundled MNIST sample: forward, SoftmaxCrossEntropy forward and backward, model
// backward, SGD step. bench/pytorch_simple_cnn.py times the same step in PyTorch.
//
// Counters: items_per_second is samples/s; "peak_fraction" as in mlp_bench.cpp.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdint>

#include "nnlab/data/mnist.h"
#include "nnlab/init/initializer.h"
#include "nnlab/kernels/threads.h"
#include "nnlab/losses/softmax_cross_entropy.h"
#include "nnlab/model/model_spec.h"
#include "nnlab/optim/sgd.h"
#include "nnlab/tensor/random.h"

namespace {

constexpr int64_t kBatch = 100;
constexpr double kSgemmPeakPerCore = 158e9;  // as in mlp_bench.cpp

// FLOPs per sample: the convolution 30 filters × 24×24 outputs × 5×5 taps, forward and dW
// (no dx: it is the first layer); Linear 4320→100 and 100→10 forward, dW and dx.
// Pooling, ReLU, softmax and SGD are left out.
double step_flops_per_sample() {
  const double conv = 2.0 * 30 * 24 * 24 * 5 * 5;
  const double hidden = 2.0 * 30 * 12 * 12 * 100;
  const double output = 2.0 * 100 * 10;
  return 2 * conv + 3 * hidden + 3 * output;
}

void simple_cnn_train_step(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  nnlab::set_num_threads(threads);

  nnlab::Rng rng(42);
  auto model = nnlab::build_model<float>(nnlab::preset_spec("simple-cnn"), nnlab::Shape{1, 28, 28});
  model.initialize(nnlab::Initializer::he_normal(), rng);
  nnlab::SoftmaxCrossEntropy<float> loss;
  nnlab::SGD<float> sgd(model.parameters(), 0.01);

  const nnlab::TrainTest data = nnlab::load_mnist(nnlab::default_mnist_folder());
  nnlab::Tensor<float> x(nnlab::Shape{kBatch, 1, 28, 28});
  nnlab::Tensor<float> labels(nnlab::Shape{kBatch});
  std::copy(data.train.x.data(), data.train.x.data() + x.size(), x.data());
  std::copy(data.train.y.data(), data.train.y.data() + labels.size(), labels.data());

  float last_loss = 0;
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    last_loss = loss.forward(model.forward(x), labels);
    model.backward(loss.backward());
    sgd.step();
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  benchmark::DoNotOptimize(last_loss);

  const double samples = static_cast<double>(state.iterations()) * kBatch;
  state.SetItemsProcessed(static_cast<int64_t>(samples));
  state.counters["peak_fraction"] = samples * step_flops_per_sample() / seconds / (kSgemmPeakPerCore * threads);
}

BENCHMARK(simple_cnn_train_step)->Arg(1)->Arg(2)->UseRealTime()->MinTime(2.0)->Unit(benchmark::kMicrosecond);

}  // namespace
