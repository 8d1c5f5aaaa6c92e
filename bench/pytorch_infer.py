"""Inference in PyTorch, as bench/inference_bench.cpp times it in nnlab: the forward pass in
evaluation mode under torch.inference_mode(), on 1,000 MNIST images (throughput) or on one
(latency).

    python3 bench/pytorch_infer.py --network mlp|simple_cnn --batch 1000|1 --threads N

Prints "network=NAME_infer threads=N samples_per_second=X" (NAME_latency for batch 1).
"""

import torch

import pytorch_common


def main():
    def extra(parser):
        parser.add_argument("--network", required=True, choices=["mlp", "simple_cnn"])
        parser.add_argument("--batch", type=int, default=1000)

    args = pytorch_common.parse_args(__doc__.splitlines()[0], extra)
    shape = (784,) if args.network == "mlp" else (1, 28, 28)
    model, _ = pytorch_common.torch_model(pytorch_common.SPECS[args.network], shape)
    model.eval()
    x, _ = pytorch_common.network_input(args.network, args.batch)

    def forward():
        with torch.inference_mode():
            model(x)

    best = pytorch_common.best_samples_per_second(forward, args.batch, args)
    name = args.network + ("_latency" if args.batch == 1 else "_infer")
    print(f"network={name} threads={args.threads} samples_per_second={best:.0f}")


if __name__ == "__main__":
    main()
