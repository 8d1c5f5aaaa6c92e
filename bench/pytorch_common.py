"""What the bench/pytorch_*.py scripts share: the command line, the networks (nnlab's model spec
read into torch.nn modules), the MNIST batch (the same images nnlab's benchmarks train on) and
the timing loop.

A run is bounded by time, not step count, because PyTorch's step time here ranges from
about 1 ms to tens of ms depending on the thread setting; the best of R runs is printed.
Run a script with OPENBLAS_NUM_THREADS=1 in the environment for PyTorch's tuned setting
(bench/README.md says why).
"""

import argparse
import gzip
import os
import time

import torch

MNIST_IMAGES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "mnist",
                            "t10k-images-idx3-ubyte.gz")
MNIST_LABELS = MNIST_IMAGES.replace("images-idx3", "labels-idx1")


def parse_args(description, extra=None):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=2.0, help="length of each timed run")
    parser.add_argument("--warmup", type=float, default=0.5, help="seconds of untimed steps first")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs; the best is printed")
    if extra:
        extra(parser)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    return args


# The networks of the benchmarks, by name: nnlab's presets and the MLP of bench/mlp_bench.cpp.
SPECS = {
    "mlp": "linear:100,relu,linear:100,relu,linear:100,relu,linear:100,relu,linear:100,relu,linear:10",
    "simple_cnn": "conv:30x5x5,relu,maxpool:2,linear:100,relu,linear:10",
    "deep_cnn": "conv:16x3x3:pad=1,relu,conv:16x3x3:pad=1,relu,maxpool:2,"
                "conv:32x3x3:pad=1,relu,conv:32x3x3:pad=2,relu,maxpool:2,"
                "conv:64x3x3:pad=1,relu,conv:64x3x3:pad=1,relu,maxpool:2,"
                "linear:50,relu,dropout:0.5,linear:10,dropout:0.5",
    "resnet": "conv:16x3x3:pad=1,batchnorm,relu,"
              "res(conv:16x3x3:pad=1,batchnorm,relu,conv:16x3x3:pad=1,batchnorm),relu,maxpool:2,"
              "res(conv:32x3x3:pad=1,batchnorm,relu,conv:32x3x3:pad=1,batchnorm),relu,maxpool:2,"
              "res(conv:64x3x3:pad=1,batchnorm,relu,conv:64x3x3:pad=1,batchnorm),relu,gap,dropout:0.2,linear:10",
}


def split_layers(spec):
    """The spec's top-level layers (commas inside res(...) belong to the block)."""
    layers, depth, start = [], 0, 0
    for i, c in enumerate(spec):
        depth += {"(": 1, ")": -1}.get(c, 0)
        if c == "," and depth == 0:
            layers.append(spec[start:i])
            start = i + 1
    return layers + [spec[start:]]


class Residual(torch.nn.Module):
    """nnlab's res(BODY): body(x) + x, or + a 1×1 convolution where the body changes the channels."""

    def __init__(self, body, shortcut):
        super().__init__()
        self.body, self.shortcut = body, shortcut

    def forward(self, x):
        return self.body(x) + (x if self.shortcut is None else self.shortcut(x))


def torch_model(spec, shape=(1, 28, 28)):
    """The torch.nn.Sequential of an nnlab spec (the layers the benchmarks use), for samples of `shape`,
    with nnlab's He-normal weights and zero biases."""
    modules = []
    for layer in split_layers(spec):
        name, _, rest = layer.partition(":")
        if name.startswith("res("):
            body, body_shape = torch_model(layer[4:-1], shape)
            shortcut = None if body_shape == shape else torch.nn.Conv2d(shape[0], body_shape[0], 1)
            modules.append(Residual(body, shortcut))
            shape = body_shape
        elif name == "conv":
            size, *options = rest.split(":")
            out, kh, kw = (int(v) for v in size.split("x"))
            pad = int(dict(o.split("=") for o in options).get("pad", 0))
            modules.append(torch.nn.Conv2d(shape[0], out, (kh, kw), padding=pad))
            shape = (out, shape[1] + 2 * pad - kh + 1, shape[2] + 2 * pad - kw + 1)
        elif name == "linear":
            if len(shape) > 1:
                modules.append(torch.nn.Flatten())
                shape = (shape[0] * shape[1] * shape[2],)
            modules.append(torch.nn.Linear(shape[0], int(rest)))
            shape = (int(rest),)
        elif name == "maxpool":
            modules.append(torch.nn.MaxPool2d(int(rest)))
            shape = (shape[0], shape[1] // int(rest), shape[2] // int(rest))
        elif name == "batchnorm":
            modules.append(torch.nn.BatchNorm2d(shape[0]) if len(shape) == 3 else torch.nn.BatchNorm1d(shape[0]))
        elif name == "gap":
            modules += [torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten()]
            shape = (shape[0],)
        elif name in ("relu", "dropout"):
            modules.append(torch.nn.ReLU() if name == "relu" else torch.nn.Dropout(float(rest)))
        else:
            raise ValueError(f"bench/pytorch_common.py does not know the layer '{layer}'")
    model = torch.nn.Sequential(*modules)
    for m in model.modules():
        if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear)):
            torch.nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
            torch.nn.init.zeros_(m.bias)
    return model, shape


def network_input(network, count):
    """The first `count` MNIST images and labels, flattened for the MLP."""
    x, labels = mnist_batch(count)
    return (x.reshape(count, 784) if network.startswith("mlp") else x), labels


def mnist_batch(count):
    """The first `count` images of the bundled sample as float32 in [0, 1] (N×1×28×28) and their labels,
    read as nnlab reads them (IDX, pixels / 255)."""
    with gzip.open(MNIST_IMAGES) as f:
        raw = f.read()
    images = torch.frombuffer(bytearray(raw[16:16 + count * 784]), dtype=torch.uint8)
    with gzip.open(MNIST_LABELS) as f:
        labels = torch.frombuffer(bytearray(f.read()[8:8 + count]), dtype=torch.uint8)
    return images.reshape(count, 1, 28, 28).float() / 255.0, labels.long()


def train_step(model, x, labels, optimizer="sgd"):
    """The step nnlab's benchmarks time: forward, cross-entropy, backward, SGD (lr 0.01) or Adam (0.001)."""
    loss_fn = torch.nn.CrossEntropyLoss()
    if optimizer == "sgd":
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    else:
        optimizer = torch.optim.Adam(model.parameters(), lr=0.001)

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), labels)
        loss.backward()
        optimizer.step()

    return step


def best_samples_per_second(step, batch, args):
    def timed_run(seconds):
        steps = 0
        start = time.perf_counter()
        while True:
            step()
            steps += 1
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                return steps * batch / elapsed

    timed_run(args.warmup)
    return max(timed_run(args.seconds) for _ in range(args.repeats))
