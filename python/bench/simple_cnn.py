"""SimpleConvNet from Python against nnlab train: --epochs epochs (1) of the bundled 8,000 images, the
same settings and threads, runs alternated so both see the same load on the machine.

    PYTHONPATH=build/python /usr/bin/python3 python/bench/simple_cnn.py build/nnlab --threads 2 --repeats 3

Prints each run's training seconds (the library's own clock: history's last `seconds`, which counts
from the start of training) and
test accuracy, then the fastest and the median of each.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

import nnlab


def cli_run(cli, threads, epochs, folder):
    out = subprocess.run([cli, "train", "--model", "simple-cnn", "--epochs", str(epochs), "--val-split", "0", "--threads",
                          str(threads), "--seed", "0", "--out", folder, "--overwrite", "--progress", "quiet"],
                         check=True, capture_output=True, text=True)
    with open(os.path.join(folder, "history.json")) as f:
        record = json.load(f)
    return record["epochs"][-1]["seconds"], record["test"]["accuracy"]


def python_train(threads, epochs):
    result = nnlab.train(model="simple-cnn", epochs=epochs, val_split=0, threads=threads, seed=0, verbose=0)
    return result.history.seconds[-1], result.test["accuracy"]


def python_fit(threads, epochs, data):
    (x, y), (x_test, y_test) = data
    model = nnlab.Model("simple-cnn", seed=0)
    history = model.fit(x, y, epochs=epochs, validation_split=0, threads=threads, seed=0, verbose=0)
    return history.seconds[-1], model.evaluate(x_test, y_test, threads=threads)["accuracy"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("cli")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=1)
    args = parser.parse_args()
    data = nnlab.datasets.mnist()
    runs = {"cli": [], "python train()": [], "python Model.fit": []}
    with tempfile.TemporaryDirectory() as folder:
        for i in range(args.repeats):
            runs["cli"].append(cli_run(args.cli, args.threads, args.epochs, folder))
            runs["python train()"].append(python_train(args.threads, args.epochs))
            runs["python Model.fit"].append(python_fit(args.threads, args.epochs, data))
            for name, values in runs.items():
                print(f"run {i + 1} {name:18s} {values[-1][0]:7.3f} s  test accuracy {values[-1][1]:.4f}", flush=True)
    # The fastest run is the one least disturbed by other work on a shared machine; the median is shown too.
    cli_best = min(s for s, _ in runs["cli"])
    cli_median = statistics.median(s for s, _ in runs["cli"])
    for name, values in runs.items():
        best = min(s for s, _ in values)
        median = statistics.median(s for s, _ in values)
        print(f"{name:18s} fastest {best:6.3f} s ({100 * (best / cli_best - 1):+.1f}% vs cli), median {median:6.3f} s "
              f"({100 * (median / cli_median - 1):+.1f}%), test accuracy {values[0][1]:.4f}")


if __name__ == "__main__":
    sys.exit(main())
