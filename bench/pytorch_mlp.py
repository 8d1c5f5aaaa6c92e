"""The step that bench/mlp_bench.cpp times, in PyTorch: one training step of the
784-100-100-100-100-100-10 ReLU network, batch 128, float32 (forward, CrossEntropyLoss,
backward, SGD lr 0.01), on a batch prepared in advance: the first 128 images of the bundled
MNIST sample (--data mnist, network "mlp") or uniform random pixels (--data random,
network "mlp_random").

Usage: /usr/bin/python3 bench/pytorch_mlp.py --threads N [--data mnist|random] [--seconds S] [--repeats R]
Prints one line: "network=mlp threads=N samples_per_second=X" (see pytorch_common.py).
"""

import torch

import pytorch_common

BATCH = 128
INPUTS = 784
HIDDEN = [100, 100, 100, 100, 100]
CLASSES = 10


def build_model():
    layers = []
    width = INPUTS
    for h in HIDDEN:
        linear = torch.nn.Linear(width, h)
        torch.nn.init.kaiming_normal_(linear.weight, nonlinearity="relu")
        torch.nn.init.zeros_(linear.bias)
        layers += [linear, torch.nn.ReLU()]
        width = h
    layers.append(torch.nn.Linear(width, CLASSES))
    return torch.nn.Sequential(*layers)


def main():
    args = pytorch_common.parse_args(
        __doc__.splitlines()[0],
        lambda p: p.add_argument("--data", choices=["mnist", "random"], default="mnist"))
    model = build_model()
    if args.data == "mnist":
        x, labels = pytorch_common.mnist_batch(BATCH)
        x = x.reshape(BATCH, INPUTS)
        network = "mlp"
    else:
        x = torch.rand(BATCH, INPUTS)  # does not require grad
        labels = torch.randint(0, CLASSES, (BATCH,))
        network = "mlp_random"
    best = pytorch_common.best_samples_per_second(pytorch_common.sgd_step(model, x, labels), BATCH, args)
    print(f"network={network} threads={args.threads} samples_per_second={best:.0f}")


if __name__ == "__main__":
    main()
