// One training step of SimpleConvNet (the `simple-cnn` preset: Conv 30@5×5, ReLU,
// MaxPool 2, Linear 100, ReLU, Linear 10), batch 100, float, on the first 100 images of
// the bundled MNIST sample: forward, SoftmaxCrossEntropy forward and backward, model
// backward, SGD step. bench/pytorch_simple_cnn.py times the same step in PyTorch.
//
// Counters: items_per_second is samples/s; "peak_fraction" as in mlp_bench.cpp.

#include "train_step.h"

namespace {

constexpr int64_t kBatch = 100;

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
  nnlab::Tensor<float> x(nnlab::Shape{kBatch, 1, 28, 28});
  nnlab::Tensor<float> labels(nnlab::Shape{kBatch});
  nnlab::bench::fill_with_mnist(x, labels);
  nnlab::bench::time_train_steps(state, "simple-cnn", x, labels, step_flops_per_sample());
}

BENCHMARK(simple_cnn_train_step)->Arg(1)->Arg(2)->UseRealTime()->MinTime(2.0)->Unit(benchmark::kMicrosecond);

}  // namespace
