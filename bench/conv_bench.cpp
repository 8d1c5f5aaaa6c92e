// Training steps of the convolutional presets on the first 100 images of the bundled MNIST
// sample: SimpleConvNet (`simple-cnn`: Conv 30@5×5, ReLU, MaxPool 2, Linear 100, ReLU, Linear
// 10), DeepConvNet (`deep-cnn`: six 3×3 convolutions of 16-64 channels) and the residual
// preset (`resnet`), with SGD (bench/pytorch_step.py times the same in PyTorch) and with Adam
// (the step of `nnlab train`'s default optimizer, beside which bench/run.sh sets the whole loop).

#include "train_step.h"

namespace {

constexpr int64_t kBatch = 100;

void conv_train_step(benchmark::State& state, const char* preset, nnlab::bench::Step step) {
  nnlab::Tensor<float> x(nnlab::Shape{kBatch, 1, 28, 28});
  nnlab::Tensor<float> labels(nnlab::Shape{kBatch});
  nnlab::bench::fill_with_mnist(x, labels);
  nnlab::bench::time_train_steps(state, preset, x, labels, step);
}

using nnlab::bench::Step;
#define NNLAB_CONV_BENCH(name, preset, step) \
  BENCHMARK_CAPTURE(conv_train_step, name, preset, step)->Name(#name)->Arg(1)->Arg(2)->UseRealTime()->MinTime(2.0)
NNLAB_CONV_BENCH(simple_cnn_train_step, "simple-cnn", Step::kSgd)->Unit(benchmark::kMicrosecond);
NNLAB_CONV_BENCH(deep_cnn_train_step, "deep-cnn", Step::kSgd)->Unit(benchmark::kMillisecond);
NNLAB_CONV_BENCH(resnet_train_step, "resnet", Step::kSgd)->Unit(benchmark::kMillisecond);
NNLAB_CONV_BENCH(simple_cnn_adam_step, "simple-cnn", Step::kAdam)->Unit(benchmark::kMicrosecond);
NNLAB_CONV_BENCH(deep_cnn_adam_step, "deep-cnn", Step::kAdam)->Unit(benchmark::kMillisecond);
NNLAB_CONV_BENCH(resnet_adam_step, "resnet", Step::kAdam)->Unit(benchmark::kMillisecond);
#undef NNLAB_CONV_BENCH

}  // namespace
