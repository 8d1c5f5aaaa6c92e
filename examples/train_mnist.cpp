// The library example from README.md, built with the project so that it keeps compiling:
//   build/train_mnist [data folder]
#include <cstdio>

#include "nnlab/data/mnist.h"
#include "nnlab/losses/softmax_cross_entropy.h"
#include "nnlab/model/model_spec.h"
#include "nnlab/optim/sgd.h"
#include "nnlab/train/progress.h"
#include "nnlab/train/trainer.h"

using namespace nnlab;

int main(int argc, char** argv) {
  TrainTest data = load_mnist(argc > 1 ? argv[1] : default_mnist_folder());
  Rng rng(42);  // every random draw comes from a generator you pass: same seed, same run
  TrainValidation split = split_validation(data.train, 0.1, rng);

  Sequential<float> model = build_model<float>("linear:256,relu,linear:128,relu,linear:10", Shape{1, 28, 28});
  model.initialize(Initializer::he_normal(), rng);  // or per layer: model[2].initialize(...)
  SoftmaxCrossEntropy<float> loss;
  SGD<float> sgd(model.parameters(), /*lr=*/0.1);

  Trainer trainer(model, loss, sgd);
  trainer.add_callback(std::make_shared<ProgressPrinter>());
  History history = trainer.fit(split.train, &split.validation, {.epochs = 20, .batch_size = 64}, rng);
  Metrics test = evaluate(model, loss, data.test);
  std::printf("test accuracy %.4f\n", test.accuracy);
}
