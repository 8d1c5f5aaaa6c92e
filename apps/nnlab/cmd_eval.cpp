// nnlab eval: a saved model's loss and accuracy on the test data.

#include <cstdio>

#include "commands.h"
#include "nnlab/data/mnist.h"
#include "nnlab/io/model_file.h"
#include "nnlab/kernels/threads.h"
#include "nnlab/losses/softmax_cross_entropy.h"
#include "nnlab/train/trainer.h"

namespace nnlab::cli {

namespace {
struct EvalSettings {
  std::string model;
  std::string data;
  int threads = 0;
};

int run_eval(const EvalSettings& s) {
  const ThreadScope threads(capped_threads(s.threads));
  LoadedModel loaded = load_model(s.model);
  const TrainTest data = load_mnist(s.data.empty() ? default_mnist_folder() : s.data);
  if (loaded.model.input_shape().numel() != data.test.sample_shape().numel()) {
    throw UsageError("model " + s.model + " takes inputs of shape " + loaded.model.input_shape().str() +
                     ", the data has " + data.test.sample_shape().str());
  }
  if (loaded.model.output_shape().numel() != data.test.num_classes) {
    throw UsageError("model " + s.model + " has " + std::to_string(loaded.model.output_shape().numel()) +
                     " outputs, the data has " + std::to_string(data.test.num_classes) + " classes");
  }
  SoftmaxCrossEntropy<float> loss;
  const Metrics m = evaluate(loaded.model, loss, data.test);
  std::printf("model: %s\n", loaded.model.spec().c_str());
  std::printf("test accuracy %.4f (%lld/%lld), loss %.4f on %s\n", m.accuracy,
              static_cast<long long>(std::llround(m.accuracy * static_cast<double>(data.test.size()))),
              static_cast<long long>(data.test.size()), m.loss, data.description.c_str());
  return 0;
}
}  // namespace

Run add_eval(CLI::App& app) {
  auto s = std::make_shared<EvalSettings>();
  app.add_option("--model", s->model, "A model saved by nnlab train (safetensors)")->required();
  app.add_option("--data", s->data, "Folder of MNIST IDX files; default: $NNLAB_DATA or the bundled sample");
  app.add_option("--threads", s->threads, "Threads (default: all cores)")->check(positive_integer());
  return [s] { return run_eval(*s); };
}

}  // namespace nnlab::cli
