"""The step that bench/simple_cnn_bench.cpp times, in PyTorch: one training step of
SimpleConvNet (Conv 30@5x5, ReLU, MaxPool 2, Linear 100, ReLU, Linear 10), batch 100,
float32 (forward, CrossEntropyLoss, backward, SGD lr 0.01) on the first 100 images of the
bundled MNIST sample.

Usage: /usr/bin/python3 bench/pytorch_simple_cnn.py --threads N [--seconds S] [--repeats R]
Prints one line: "network=simple_cnn threads=N samples_per_second=X" (see pytorch_common.py).
"""

import torch

import pytorch_common

BATCH = 100


def build_model():
    conv = torch.nn.Conv2d(1, 30, 5)
    hidden = torch.nn.Linear(30 * 12 * 12, 100)
    output = torch.nn.Linear(100, 10)
    for layer in (conv, hidden, output):
        torch.nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
        torch.nn.init.zeros_(layer.bias)
    return torch.nn.Sequential(conv, torch.nn.ReLU(), torch.nn.MaxPool2d(2), torch.nn.Flatten(), hidden,
                               torch.nn.ReLU(), output)


def main():
    args = pytorch_common.parse_args(__doc__.splitlines()[0])
    x, labels = pytorch_common.mnist_batch(BATCH)
    best = pytorch_common.best_samples_per_second(pytorch_common.sgd_step(build_model(), x, labels), BATCH, args)
    print(f"network=simple_cnn threads={args.threads} samples_per_second={best:.0f}")


if __name__ == "__main__":
    main()
