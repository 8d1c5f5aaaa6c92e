#!/usr/bin/python3
"""Writes tests/data/accumulation.json: PyTorch's float64 gradients accumulated over micro-batches.

Run with Debian's python3-torch: /usr/bin/python3 scripts/reference/accumulation_reference.py tests/data/accumulation.json
Each case is a model (nnlab's spec and the same nn.Sequential), its parameters, a batch x with labels,
and the micro-batch sizes it is cut into. The gradients are PyTorch's recipe for gradient
accumulation: for each micro-batch, backward of its mean cross-entropy times its share of the
samples, without zero_grad in between; "big_dparams" are one backward of the whole batch's mean.
The two agree to rounding, and nnlab must give the same sums. "sgd_step" is the parameters after
one SGD step (lr 0.1) with the accumulated gradients.
"""
import json
import sys

import torch
from torch import nn

torch.manual_seed(0)
torch.set_default_dtype(torch.float64)


class GlobalAvgPool(nn.Module):
    """nnlab's gap: the mean of each channel, N×C×H×W → N×C, one module as in nnlab's spec."""

    def forward(self, x):
        return x.mean(dim=(2, 3))


def tensor(t):
    return {"shape": list(t.shape), "data": t.detach().reshape(-1).tolist()}


def case(name, spec, input_shape, model, micro_batches, sparse=False):
    for p in model.parameters():
        with torch.no_grad():
            p.copy_(torch.randn_like(p) * 0.5)
    n = sum(micro_batches)
    x = torch.randn(n, *input_shape)
    if sparse:  # mostly zeros, as MNIST pixels: nnlab's first Linear takes its sparse path then
        x = x * (torch.rand_like(x) < 0.15)
    labels = torch.randint(0, 3, (n,))
    loss_fn = nn.CrossEntropyLoss()

    model.zero_grad()
    loss_fn(model(x), labels).backward()
    big = {k: p.grad.clone() for k, p in model.named_parameters()}

    model.zero_grad()
    start = 0
    for size in micro_batches:
        part = slice(start, start + size)
        (loss_fn(model(x[part]), labels[part]) * (size / n)).backward()
        start += size
    accumulated = {k: p.grad.clone() for k, p in model.named_parameters()}
    params = {k: tensor(p) for k, p in model.named_parameters()}
    with torch.no_grad():
        stepped = {k: tensor(p - 0.1 * p.grad) for k, p in model.named_parameters()}
    return {
        "name": name,
        "spec": spec,
        "input_sample": list(input_shape),
        "micro_batches": micro_batches,
        "x": tensor(x),
        "labels": labels.tolist(),
        "params": params,
        "dparams": {k: tensor(g) for k, g in accumulated.items()},
        "big_dparams": {k: tensor(g) for k, g in big.items()},
        "sgd_step": stepped,
    }


cases = [
    case("mlp_sparse_input", "linear:5,relu,linear:3", (12,),
         nn.Sequential(nn.Linear(12, 5), nn.ReLU(), nn.Linear(5, 3)), [2, 2, 2], sparse=True),
    case("mlp_uneven", "linear:4,tanh,layernorm,linear:3", (6,),
         nn.Sequential(nn.Linear(6, 4), nn.Tanh(), nn.LayerNorm(4), nn.Linear(4, 3)), [3, 3, 1]),
    case("conv", "conv:2x3x3:pad=1,relu,gap,linear:3", (1, 5, 5),
         nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.ReLU(), GlobalAvgPool(), nn.Linear(2, 3)), [2, 1, 2]),
]

with open(sys.argv[1], "w") as out:
    json.dump({"source": f"PyTorch {torch.__version__}, float64, seed 0", "cases": cases}, out)
