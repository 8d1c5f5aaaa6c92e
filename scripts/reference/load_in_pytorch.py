#!/usr/bin/env python3
"""Loads an nnlab model file into the equivalent PyTorch model with load_state_dict(strict=True).

  python3 scripts/reference/load_in_pytorch.py MODEL.safetensors [FILL]

Builds the nn.Module tree from the file's spec (nnlab.model) and input shape (nnlab.input_shape), loads the
tensors strictly, and prints "strict load: ok" and the model's output (eval mode) for an input of every value FILL
(default 0.5), one sample, as space-separated numbers. Needs Debian's python3-torch and python3-numpy only (the
safetensors file is read by hand: 8-byte header length, JSON header, raw little-endian data).
"""
import json
import struct
import sys

import numpy as np
import torch
from torch import nn


class Residual(nn.Module):
    """y = body(x) + shortcut(x); without a shortcut child, the identity."""

    def __init__(self, body, shortcut=None):
        super().__init__()
        self.body = body
        if shortcut is not None:
            self.shortcut = shortcut

    def forward(self, x):
        return self.body(x) + (self.shortcut(x) if hasattr(self, "shortcut") else x)


class GlobalAvgPool(nn.Module):
    """nnlab's gap: C×H×W → C (AdaptiveAvgPool2d(1) and Flatten in one module, as nnlab has it)."""

    def forward(self, x):
        return x.mean((2, 3))


class Linear(nn.Linear):
    """nnlab's linear: on image input (N×C×H×W) it reads each sample as one vector, as x.flatten(1), so a
    convolutional network needs no flatten layer before it; the parameters are nn.Linear's (weight, bias)."""

    def forward(self, x):
        return super().forward(x.flatten(1))


def split_top(spec):
    parts, depth, cur = [], 0, ""
    for c in spec:
        depth += c == "("
        depth -= c == ")"
        if c == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += c
    return parts + [cur]


def options(token):
    parts = token.split(":")
    positional = [p for p in parts[1:] if "=" not in p]
    keyed = dict(p.split("=", 1) for p in parts[1:] if "=" in p and not p.startswith("init="))
    return parts[0], positional, keyed


def build(spec, shape):
    """An nn.Sequential for the spec and the sample shape after it."""
    layers = []
    for token in split_top(spec):
        if token.startswith("res("):
            inner = token[4:token.rindex(")")]
            body, out = build(inner, shape)
            shortcut = None
            if out != shape:
                if len(shape) == 3:  # the stride s with (H - 1) // s + 1 = H', as nnlab's Residual::projection
                    s = next(s for s in range(1, shape[1] + 1)
                             if (shape[1] - 1) // s + 1 == out[1] and (shape[2] - 1) // s + 1 == out[2])
                    shortcut = nn.Conv2d(shape[0], out[0], 1, stride=s)
                else:
                    shortcut = (Linear if len(shape) > 1 else nn.Linear)(int(np.prod(shape)), out[0])
            layers.append(Residual(body, shortcut))
            shape = out
            continue
        name, pos, kw = options(token)
        bias = kw.get("bias", "true") not in ("false", "0")
        if name == "linear":
            cls = Linear if len(shape) > 1 else nn.Linear
            layers.append(cls(int(np.prod(shape)), int(pos[0]), bias=bias))
            shape = [int(pos[0])]
        elif name == "conv":
            sizes = [int(v) for v in pos[0].split("x")]
            kh, kw_ = sizes[1], sizes[2] if len(sizes) == 3 else sizes[1]
            s, p = int(kw.get("stride", 1)), int(kw.get("pad", 0))
            layers.append(nn.Conv2d(shape[0], sizes[0], (kh, kw_), stride=s, padding=p, bias=bias))
            shape = [sizes[0], (shape[1] + 2 * p - kh) // s + 1, (shape[2] + 2 * p - kw_) // s + 1]
        elif name in ("maxpool", "avgpool"):
            k = int(pos[0])
            s, p = int(kw.get("stride", k)), int(kw.get("pad", 0))
            layers.append((nn.MaxPool2d if name == "maxpool" else nn.AvgPool2d)(k, stride=s, padding=p))
            shape = [shape[0], (shape[1] + 2 * p - k) // s + 1, (shape[2] + 2 * p - k) // s + 1]
        elif name == "batchnorm":
            cls = nn.BatchNorm2d if len(shape) == 3 else nn.BatchNorm1d
            layers.append(cls(shape[0], eps=float(kw.get("eps", 1e-5)), momentum=float(kw.get("momentum", 0.1))))
        elif name == "layernorm":
            layers.append(nn.LayerNorm(shape, eps=float(kw.get("eps", 1e-5))))
        elif name == "gap":
            layers.append(GlobalAvgPool())
            shape = [shape[0]]
        elif name == "flatten":
            layers.append(nn.Flatten())
            shape = [int(np.prod(shape))]
        elif name == "dropout":
            layers.append(nn.Dropout(float(pos[0])))
        else:
            layers.append({"relu": nn.ReLU, "sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "identity": nn.Identity,
                           "softmax": lambda: nn.Softmax(dim=1)}[name]())
    return nn.Sequential(*layers), shape


def read_safetensors(path):
    raw = open(path, "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    data = raw[8 + n:]
    state = {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        a, b = t["data_offsets"]
        dtype = {"F32": np.float32, "F64": np.float64, "I64": np.int64}[t["dtype"]]
        state[name] = torch.from_numpy(np.frombuffer(data[a:b], dtype=dtype).reshape(t["shape"]).copy())
    return state, header.get("__metadata__", {})


def main():
    state, metadata = read_safetensors(sys.argv[1])
    fill = float(sys.argv[2]) if len(sys.argv) > 2 else 0.5
    shape = [int(v) for v in metadata["nnlab.input_shape"].split("x")]
    model, _ = build(metadata["nnlab.model"], shape)
    model.load_state_dict(state, strict=True)
    print("strict load: ok")
    model.eval()
    with torch.no_grad():
        y = model(torch.full([1] + shape, fill))
    print(" ".join(repr(float(v)) for v in y.reshape(-1)))


if __name__ == "__main__":
    main()
