#!/usr/bin/env python3
"""Writes tests/data/regression_losses.json: PyTorch's float64 values for the regression losses.

Run with Debian's python3-torch:
  python3 scripts/reference/regression_losses_reference.py tests/data/regression_losses.json
Each case: the loss (nn.MSELoss, nn.L1Loss, nn.HuberLoss with its delta), the output `x` and the
target (N×K), an upstream gradient `dy` of the mean loss, the mean loss `y` and dL/dx·dy as `dx`.
Some differences are exactly 0 and some exactly ±delta, the points where L1's and Huber's
derivatives change.
"""
import json
import sys

import torch
from torch import nn

torch.manual_seed(0)
torch.set_default_dtype(torch.float64)


def tensor(t):
    return {"shape": list(t.shape), "data": t.detach().reshape(-1).tolist()}


def case(name, loss, spec, delta=None):
    x = torch.randn(6, 3) * 2
    target = torch.randn(6, 3)
    with torch.no_grad():
        target[0, 0] = x[0, 0]  # a difference of exactly 0
        if delta is not None:
            target[1, 1] = x[1, 1] - delta  # exactly +delta
            target[2, 2] = x[2, 2] + delta  # exactly -delta
    x.requires_grad_(True)
    y = loss(x, target)
    dy = torch.tensor(0.7)
    y.backward(dy)
    out = {"name": name, "spec": spec, "x": tensor(x), "target": tensor(target), "dy": float(dy),
           "y": float(y), "dx": tensor(x.grad)}
    if delta is not None:
        out["delta"] = delta
    return out


cases = [
    case("mse", nn.MSELoss(), "mse"),
    case("mae", nn.L1Loss(), "mae"),
    case("huber", nn.HuberLoss(delta=1.0), "huber", 1.0),
    case("huber-0.5", nn.HuberLoss(delta=0.5), "huber:0.5", 0.5),
]
with open(sys.argv[1], "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases}, f, indent=1)
