// One training step of the 784-100-100-100-100-100-10 ReLU network, batch 128, float:
// forward, SoftmaxCrossEntropy forward and backward, model backward, SGD step.
// bench/pytorch_mlp.py times the same step in PyTorch; bench/run.sh puts the two side by side.
//
// Two inputs: "mlp" trains on the first 128 images of the bundled MNIST sample (81% of
// their pixels are zero, which nnlab's first layer skips: kernels/sparse_input.h);
// "mlp_random" on uniform random pixels (no zeros: every product is dense).
//
// Counters: items_per_second is samples/s; "peak_fraction" is the step's FLOP rate over the
// machine's SGEMM limit for the thread count (DESIGN.md: about 158 GFLOP/s per core).

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <vector>

#include "nnlab/data/mnist.h"
#include "nnlab/init/initializer.h"
#include "nnlab/kernels/threads.h"
#include "nnlab/losses/softmax_cross_entropy.h"
#include "nnlab/model/model_spec.h"
#include "nnlab/optim/sgd.h"
#include "nnlab/tensor/random.h"

namespace {

constexpr int64_t kBatch = 128;
constexpr int64_t kInputs = 784;
constexpr int64_t kClasses = 10;
const std::vector<int64_t> kHidden{100, 100, 100, 100, 100};
// One core's SGEMM rate (OpenBLAS, 2048³) on the bench machine, from DESIGN.md.
constexpr double kSgemmPeakPerCore = 158e9;

// FLOPs of one training step per sample: forward 2·in·out per Linear; backward the same
// again for dW, and again for dx except in the first layer, whose input gradient nobody uses.
// Element-wise work (bias, ReLU, softmax, SGD) is left out: it is small next to the products.
double step_flops_per_sample() {
  std::vector<int64_t> sizes{kInputs};
  sizes.insert(sizes.end(), kHidden.begin(), kHidden.end());
  sizes.push_back(kClasses);
  double flops = 0;
  for (size_t l = 0; l + 1 < sizes.size(); ++l) {
    const double product = 2.0 * static_cast<double>(sizes[l] * sizes[l + 1]);
    flops += product /*forward*/ + product /*dW*/ + (l == 0 ? 0.0 : product) /*dx*/;
  }
  return flops;
}

enum class Input { kMnist, kRandom };

void mlp_train_step(benchmark::State& state, Input input) {
  const int threads = static_cast<int>(state.range(0));
  nnlab::set_num_threads(threads);

  nnlab::Rng rng(42);
  auto model = nnlab::build_model<float>(nnlab::mlp_spec(kHidden, "relu", kClasses), nnlab::Shape{kInputs});
  model.initialize(nnlab::Initializer::he_normal(), rng);
  nnlab::SoftmaxCrossEntropy<float> loss;
  nnlab::SGD<float> sgd(model.parameters(), 0.01);

  // The batch is prepared in advance: the step alone is timed.
  nnlab::Tensor<float> x(nnlab::Shape{kBatch, kInputs});
  nnlab::Tensor<float> labels(nnlab::Shape{kBatch});
  if (input == Input::kMnist) {
    const nnlab::TrainTest data = nnlab::load_mnist(nnlab::default_mnist_folder());
    std::copy(data.train.x.data(), data.train.x.data() + x.size(), x.data());
    std::copy(data.train.y.data(), data.train.y.data() + labels.size(), labels.data());
  } else {
    for (float& v : x) v = static_cast<float>(rng.uniform());
    for (float& t : labels) t = static_cast<float>(rng.below(kClasses));
  }

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
  // The step's FLOP rate over the SGEMM limit of this many cores. Timed here rather
  // than as a rate counter so that it prints as a plain fraction.
  state.counters["peak_fraction"] = samples * step_flops_per_sample() / seconds / (kSgemmPeakPerCore * threads);
}

BENCHMARK_CAPTURE(mlp_train_step, mnist, Input::kMnist)
    ->Name("mlp_train_step")
    ->Arg(1)
    ->Arg(2)
    ->UseRealTime()
    ->MinTime(2.0)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(mlp_train_step, random, Input::kRandom)
    ->Name("mlp_random_train_step")
    ->Arg(1)
    ->Arg(2)
    ->UseRealTime()
    ->MinTime(2.0)
    ->Unit(benchmark::kMicrosecond);

}  // namespace

