"""One training step of a benchmark network in PyTorch, as bench/mlp_bench.cpp and
bench/conv_bench.cpp time it in nnlab: forward, CrossEntropyLoss, backward, the optimizer.

    python3 bench/pytorch_step.py --network mlp|mlp_random|simple_cnn|deep_cnn|resnet [--adam] --threads N

Batches: 128 for the MLP under SGD, 100 otherwise; MNIST's first images (mlp_random: uniform
random pixels). Prints "network=NAME threads=N samples_per_second=X" (NAME_adam with --adam).
"""

import torch

import pytorch_common


def main():
    def extra(parser):
        parser.add_argument("--network", required=True,
                            choices=["mlp", "mlp_random", "simple_cnn", "deep_cnn", "resnet"])
        parser.add_argument("--adam", action="store_true", help="Adam (lr 0.001) instead of SGD (lr 0.01)")

    args = pytorch_common.parse_args(__doc__.splitlines()[0], extra)
    batch = 128 if args.network.startswith("mlp") and not args.adam else 100
    spec = pytorch_common.SPECS["mlp" if args.network == "mlp_random" else args.network]
    shape = (784,) if args.network.startswith("mlp") else (1, 28, 28)
    model, _ = pytorch_common.torch_model(spec, shape)
    if args.network == "mlp_random":
        x, labels = torch.rand(batch, 784), torch.randint(0, 10, (batch,))
    else:
        x, labels = pytorch_common.network_input(args.network, batch)
    step = pytorch_common.train_step(model, x, labels, "adam" if args.adam else "sgd")
    best = pytorch_common.best_samples_per_second(step, batch, args)
    name = args.network + ("_adam" if args.adam else "")
    print(f"network={name} threads={args.threads} samples_per_second={best:.0f}")


if __name__ == "__main__":
    main()
