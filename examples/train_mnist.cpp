// The library example from README.md, built with the project so that it keeps compiling
// (and, by tests/package/run.sh, outside the tree against an installed nnlab):
//   build/train_mnist [data folder, "" for the bundled sample] [epochs]
#include <cstdio>
#include <cstdlib>

#include "nnlab/data/mnist.h"
#include "nnlab/train/progress.h"
#include "nnlab/train/train.h"

using namespace nnlab;

int main(int argc, char** argv) {
  const bool folder_given = argc > 1 && argv[1][0] != '\0';
  TrainTest data = load_mnist(folder_given ? argv[1] : default_mnist_folder());

  TrainConfig config;  // nnlab train's defaults; set here what you would give it as flags
  config.model = "linear:256,relu,linear:128,relu,linear:10";
  config.optimizer.name = "sgd";
  config.optimizer.lr = 0.1;
  config.schedule = "constant";
  if (argc > 2) config.epochs = std::atoi(argv[2]);
  config.seed = 42;  // every random draw comes from the seed: same seed, same run
  TrainResult result = train(config, data.train, {.after = {std::make_shared<ProgressPrinter>()}});

  SoftmaxCrossEntropy<float> loss;
  Metrics test = evaluate(result.model, loss, data.test);
  std::printf("test accuracy %.4f\n", test.accuracy);
  std::printf("the same run on the command line: %s\n", train_command(config).c_str());
}
