"""The step that bench/mlp_bench.cpp times, in PyTorch: one training step of the
784-100-100-100-100-100-10 ReLU network, batch 128, float32 (forward, CrossEntropyLoss,
backward, SGD lr 0.01), on random data prepared in advance.

Usage: /usr/bin/python3 bench/pytorch_mlp.py --threads N [--seconds S] [--repeats R]
Prints one line: "network=mlp threads=N samples_per_second=X", the best of R timed runs of at least
S seconds each (runs are bounded by time, not step count, because PyTorch's step time
here ranges from about 1 ms to tens of ms depending on the thread setting).
Run it with OPENBLAS_NUM_THREADS=1 in the environment for PyTorch's tuned setting
(bench/README.md says why).
"""

import argparse
import time

import torch

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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=2.0, help="length of each timed run")
    parser.add_argument("--warmup", type=float, default=0.5, help="seconds of untimed steps first")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs; the best is printed")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = build_model()
    loss_fn = torch.nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    x = torch.rand(BATCH, INPUTS)  # does not require grad
    labels = torch.randint(0, CLASSES, (BATCH,))

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), labels)
        loss.backward()
        optimizer.step()

    def timed_run(seconds):
        steps = 0
        start = time.perf_counter()
        while True:
            step()
            steps += 1
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                return steps * BATCH / elapsed

    timed_run(args.warmup)
    best = max(timed_run(args.seconds) for _ in range(args.repeats))
    print(f"network=mlp threads={args.threads} samples_per_second={best:.0f}")


if __name__ == "__main__":
    main()
