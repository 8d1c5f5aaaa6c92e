// Inference: the forward pass in evaluation mode of the MLP (784-100x5-10 ReLU, as in
// mlp_bench.cpp) and of SimpleConvNet, on the first 1,000 images of the bundled MNIST sample
// (throughput, samples/s) and on one image (latency: the time per iteration).
// bench/pytorch_infer.py times the same in PyTorch under torch.inference_mode().

#include <vector>

#include "train_step.h"

namespace {

const std::vector<int64_t> kHidden{100, 100, 100, 100, 100};

void forward(benchmark::State& state, bool convolutional, int64_t batch) {
  nnlab::Tensor<float> x(convolutional ? nnlab::Shape{batch, 1, 28, 28} : nnlab::Shape{batch, 784});
  nnlab::Tensor<float> labels(nnlab::Shape{batch});
  nnlab::bench::fill_with_mnist(x, labels);
  nnlab::bench::time_forward(state, convolutional ? "simple-cnn" : nnlab::mlp_spec(kHidden, "relu", 10), x);
}

BENCHMARK_CAPTURE(forward, mlp, false, 1000)->Name("mlp_infer")->Arg(1)->Arg(2)->UseRealTime()->MinTime(1.0);
BENCHMARK_CAPTURE(forward, cnn, true, 1000)->Name("simple_cnn_infer")->Arg(1)->Arg(2)->UseRealTime()->MinTime(1.0);
BENCHMARK_CAPTURE(forward, mlp1, false, 1)->Name("mlp_latency")->Arg(1)->Arg(2)->UseRealTime()->MinTime(1.0);
BENCHMARK_CAPTURE(forward, cnn1, true, 1)->Name("simple_cnn_latency")->Arg(1)->Arg(2)->UseRealTime()->MinTime(1.0);

}  // namespace
