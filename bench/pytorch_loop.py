"""The whole training loop in PyTorch, as `nnlab train` runs it (bench/nnlab_loop.py): each epoch
a new permutation of the first --train-size images of the bundled sample's training part, the
batches gathered by index, forward, CrossEntropyLoss, backward, Adam (lr 0.001), and the epoch's
mean loss and accuracy kept (as tensors, read once per epoch: the cheapest bookkeeping). The
fastest of epochs 2 to 4 counts, as in bench/nnlab_loop.py.

    python3 bench/pytorch_loop.py --network mlp|simple_cnn|deep_cnn|resnet --train-size N --threads T [--batch B]

Prints "network=NAME_loop threads=T samples_per_second=X".
"""

import time

import torch

import pytorch_common



def main():
    def extra(parser):
        parser.add_argument("--network", required=True, choices=["mlp", "simple_cnn", "deep_cnn", "resnet"])
        parser.add_argument("--train-size", type=int, default=8000)
        parser.add_argument("--batch", type=int, default=100)

    args = pytorch_common.parse_args(__doc__.splitlines()[0], extra)
    shape = (784,) if args.network == "mlp" else (1, 28, 28)
    model, _ = pytorch_common.torch_model(pytorch_common.SPECS[args.network], shape)
    model.train()
    x, labels = pytorch_common.network_input(args.network, args.train_size)
    loss_fn = torch.nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.001)

    def epoch():
        order = torch.randperm(args.train_size)
        loss_sum, correct = torch.zeros(()), torch.zeros((), dtype=torch.long)
        for start in range(0, args.train_size, args.batch):
            index = order[start:start + args.batch]
            xb, yb = x[index], labels[index]
            optimizer.zero_grad(set_to_none=True)
            logits = model(xb)
            loss = loss_fn(logits, yb)
            loss.backward()
            optimizer.step()
            loss_sum += loss.detach() * len(index)
            correct += (logits.detach().argmax(1) == yb).sum()
        return loss_sum.item() / args.train_size, correct.item() / args.train_size

    epoch()
    times = []
    for _ in range(3):
        start = time.perf_counter()
        epoch()
        times.append(time.perf_counter() - start)
    seconds = min(times)
    print(f"network={args.network}_loop threads={args.threads} samples_per_second={args.train_size / seconds:.0f}")


if __name__ == "__main__":
    main()
