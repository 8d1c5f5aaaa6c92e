// One training step of the 784-100-100-100-100-100-10 ReLU network, batch 128, float:
// forward, SoftmaxCrossEntropy forward and backward, model backward, SGD step.
// bench/pytorch_step.py times the same step in PyTorch; bench/run.sh puts the two side by side.
//
// Two inputs: "mlp" trains on the first 128 images of the bundled MNIST sample (81% of
// their pixels are zero, which nnlab's first layer skips: kernels/sparse_input.h);
// "mlp_random" on uniform random pixels (no zeros: every product is dense).
//
// Counters (train_step.h): items_per_second is samples/s, flops_per_sample the step's FLOPs
// (the zeros skipped count as done).

#include <vector>

#include "train_step.h"

namespace {

constexpr int64_t kBatch = 128;
constexpr int64_t kInputs = 784;
constexpr int64_t kClasses = 10;
const std::vector<int64_t> kHidden{100, 100, 100, 100, 100};

// FLOPs of one training step per sample: forward 2·in·out per Linear; backward the same
// again for dW, and again for dx except in the first layer, whose input gradient nobody uses.
// Element-wise work (bias, ReLU, softmax, SGD) is left out: it is small next to the products.
enum class Input { kMnist, kRandom };

void mlp_train_step(benchmark::State& state, Input input) {
  // The batch is prepared in advance: the step alone is timed.
  nnlab::Tensor<float> x(nnlab::Shape{kBatch, kInputs});
  nnlab::Tensor<float> labels(nnlab::Shape{kBatch});
  if (input == Input::kMnist) {
    nnlab::bench::fill_with_mnist(x, labels);
  } else {
    nnlab::Rng rng(7);
    for (float& v : x) v = static_cast<float>(rng.uniform());
    for (float& t : labels) t = static_cast<float>(rng.below(kClasses));
  }
  nnlab::bench::time_train_steps(state, nnlab::mlp_spec(kHidden, "relu", kClasses), x, labels);
}

// The same MLP under Adam on a batch of 100 MNIST images (`nnlab train`'s optimizer; the
// optimizer step's share of the time is a counter).
void mlp_adam_step(benchmark::State& state) {
  nnlab::Tensor<float> x(nnlab::Shape{100, kInputs});
  nnlab::Tensor<float> labels(nnlab::Shape{100});
  nnlab::bench::fill_with_mnist(x, labels);
  nnlab::bench::time_train_steps(state, nnlab::mlp_spec(kHidden, "relu", kClasses), x, labels,
                                 nnlab::bench::Step::kAdam);
}
BENCHMARK(mlp_adam_step)->Arg(1)->Arg(2)->UseRealTime()->MinTime(2.0)->Unit(benchmark::kMicrosecond);

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
