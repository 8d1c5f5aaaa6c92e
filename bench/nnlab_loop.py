"""The whole training loop in nnlab: `nnlab train` over four epochs of the first --train-size
images of the bundled sample (shuffle, batch gather, loss and accuracy bookkeeping), batch 100,
Adam, no validation split, no augmentation, no checkpoint but the last; the fastest of epochs 2
to 4 from history.json (an epoch of the MLP lasts 50 ms: one is easily disturbed).

    python3 bench/nnlab_loop.py BUILD/nnlab --network mlp|simple_cnn|deep_cnn|resnet --train-size N --threads T

Prints "network=NAME_loop threads=T samples_per_second=X", as bench/pytorch_loop.py does.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

import pytorch_common


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("nnlab")
    parser.add_argument("--network", required=True, choices=["mlp", "simple_cnn", "deep_cnn", "resnet"])
    parser.add_argument("--train-size", type=int, default=8000)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as out:
        run = subprocess.run([args.nnlab, "train", "--model", pytorch_common.SPECS[args.network], "--batch-size", "100",
                        "--optimizer", "adam", "--lr", "0.001", "--epochs", "4", "--val-split", "0", "--augment",
                        "none", "--checkpoint-every", "0", "--train-size", str(args.train_size), "--threads",
                        str(args.threads), "--progress", "quiet", "--out", out, "--overwrite"],
                       capture_output=True, text=True)
        if run.returncode != 0:
            print(f"nnlab_loop.py: nnlab train failed (exit {run.returncode}):\n{run.stderr}", file=sys.stderr)
            return 1
        with open(os.path.join(out, "history.json")) as f:
            epochs = json.load(f)["epochs"]
    seconds = min(epochs[k]["seconds"] - epochs[k - 1]["seconds"] for k in range(1, len(epochs)))
    print(f"network={args.network}_loop threads={args.threads} samples_per_second={args.train_size / seconds:.0f}")


if __name__ == "__main__":
    sys.exit(main())
