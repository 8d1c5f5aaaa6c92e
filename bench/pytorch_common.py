"""What bench/pytorch_<network>.py scripts share: the command line, the MNIST batch
(the same images nnlab's benchmarks train on) and the timing loop.

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


def mnist_batch(count):
    """The first `count` images of the bundled sample as float32 in [0, 1] (N×1×28×28) and their labels,
    read as nnlab reads them (IDX, pixels / 255)."""
    with gzip.open(MNIST_IMAGES) as f:
        raw = f.read()
    images = torch.frombuffer(bytearray(raw[16:16 + count * 784]), dtype=torch.uint8)
    with gzip.open(MNIST_LABELS) as f:
        labels = torch.frombuffer(bytearray(f.read()[8:8 + count]), dtype=torch.uint8)
    return images.reshape(count, 1, 28, 28).float() / 255.0, labels.long()


def sgd_step(model, x, labels, lr=0.01):
    """The step nnlab's benchmarks time: forward, cross-entropy, backward, SGD."""
    loss_fn = torch.nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)

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
