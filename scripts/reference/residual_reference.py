#!/usr/bin/env python3
"""Writes tests/data/residual.json: PyTorch's float64 forward and backward values for residual blocks.

Run with Debian's python3-torch: python3 scripts/reference/residual_reference.py tests/data/residual.json
Each case is a block y = body(x) + shortcut(x) as nnlab's spec writes it; parameters are named as in
PyTorch's module tree ("body.0.weight", "shortcut.weight"). BatchNorm runs in training mode.
"""
import json
import sys

import torch
from torch import nn

torch.manual_seed(0)
torch.set_default_dtype(torch.float64)


class Residual(nn.Module):
    def __init__(self, body, shortcut=None):
        super().__init__()
        self.body = body
        if shortcut is not None:
            self.shortcut = shortcut

    def forward(self, x):
        skip = self.shortcut(x) if hasattr(self, "shortcut") else x
        return self.body(x) + skip


def tensor(t):
    return {"shape": list(t.shape), "data": t.detach().reshape(-1).tolist()}


def case(name, spec, input_shape, block):
    for p in block.parameters():
        with torch.no_grad():
            p.copy_(torch.randn_like(p) * 0.5)
    x = torch.randn(*input_shape, requires_grad=True)
    y = block(x)
    dy = torch.randn_like(y)
    y.backward(dy)
    return {
        "name": name,
        "spec": spec,
        "input_sample": list(input_shape[1:]),
        "x": tensor(x),
        "params": {n: tensor(p) for n, p in block.named_parameters()},
        "dy": tensor(dy),
        "y": tensor(y),
        "dx": tensor(x.grad),
        "dparams": {n: tensor(p.grad) for n, p in block.named_parameters()},
    }


cases = [
    case("residual_identity_conv", "res(conv:3x3x3:pad=1,batchnorm,relu,conv:3x3x3:pad=1,batchnorm)", (2, 3, 5, 5),
         Residual(nn.Sequential(nn.Conv2d(3, 3, 3, padding=1), nn.BatchNorm2d(3), nn.ReLU(),
                                nn.Conv2d(3, 3, 3, padding=1), nn.BatchNorm2d(3)))),
    case("residual_projection_conv", "res(conv:4x3x3:stride=2:pad=1,relu,conv:4x3x3:pad=1)", (2, 2, 6, 6),
         Residual(nn.Sequential(nn.Conv2d(2, 4, 3, stride=2, padding=1), nn.ReLU(), nn.Conv2d(4, 4, 3, padding=1)),
                  nn.Conv2d(2, 4, 1, stride=2))),
    case("residual_identity_dense", "res(linear:5,tanh,linear:5)", (3, 5),
         Residual(nn.Sequential(nn.Linear(5, 5), nn.Tanh(), nn.Linear(5, 5)))),
    case("residual_projection_dense", "res(linear:6,relu,linear:3)", (4, 5),
         Residual(nn.Sequential(nn.Linear(5, 6), nn.ReLU(), nn.Linear(6, 3)), nn.Linear(5, 3))),
]
# Two blocks in a row, inside a Sequential: the names nest as "0.body.0.weight".
model = nn.Sequential(Residual(nn.Sequential(nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 4))), nn.ReLU(),
                      Residual(nn.Sequential(nn.Linear(4, 2)), nn.Linear(4, 2)))
cases.append(case("residual_stack", "res(linear:4,relu,linear:4),relu,res(linear:2)", (3, 4), model))

with open(sys.argv[1], "w") as out:
    json.dump({"source": f"PyTorch {torch.__version__}, float64, seed 0", "cases": cases}, out)
