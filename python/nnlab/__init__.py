"""nnlab: build, train and study neural networks (the textbook's chapters 6-8) from Python,
on nnlab's C++ library, exact against PyTorch.

>>> import nnlab
>>> (x, y), (x_test, y_test) = nnlab.datasets.mnist()
>>> model = nnlab.Model("simple-cnn")
>>> history = model.fit(x, y, epochs=1, threads=2)
>>> model.evaluate(x_test, y_test)["accuracy"]

See docs/python.md.
"""

from . import _nnlab
from . import datasets, experiments
from ._nnlab import Hook, TrainingDiverged
from ._threads import get_num_threads, set_num_threads
from .callbacks import Callback, CallbackList, History, LambdaCallback, ProgressBar
from .config import TrainConfig
from .layers import (AvgPool2d, BatchNorm, Conv2d, Dropout, Flatten, GlobalAvgPool, Identity, Layer, LayerNorm,
                     Linear, MaxPool2d, ReLU, Residual, Sigmoid, Softmax, Step, Tanh)
from .models import Model, Sequential
from . import _threads as _threads_module

__version__ = "0.2.0"


def load(path):
    """The model of a safetensors file nnlab wrote (nnlab train's model.safetensors too), in eval mode."""
    return Model._wrap(_nnlab.load(str(path)))


def save(model, path):
    """Writes `model` as a safetensors file: model.save(path)."""
    model.save(path)


class TrainResult:
    """What nnlab.train gives back: model, history, test (metrics on the data's test part),
    data (its description) and command (the nnlab train command of the same run)."""

    def __init__(self, record, history):
        self.model = Model._wrap(record["model"])
        self.model.history = history
        self.history = history
        self.test = record["test"]
        self.data = record["data"]
        self.command = record["command"]

    def __repr__(self):
        return f"TrainResult(test={self.test}, command={self.command!r})"


def train(config=None, data="mnist", *, callbacks=None, verbose=1, target="", task="auto", test_split=0.2,
          **fields):
    """nnlab train in one call: `config` (a TrainConfig, a dict, or its fields as keywords) on
    the data nnlab train --data DATA reads, the model built and initialised from the config:
    the same seed gives the same run, to the bit, as the command line (config.command()).
    Returns a TrainResult (model, history, test, data, command)."""
    cfg = TrainConfig.copy_of(config) if config is not None else TrainConfig()
    for name, value in fields.items():
        cfg.set(name, value)
    if "threads" not in fields and (config is None or cfg.threads == 0):
        cfg.threads = _threads_module.resolve(None)
    callbacks = list(callbacks or [])
    if verbose:
        callbacks.append(ProgressBar(verbose))
    bridge = CallbackList(callbacks, params={"verbose": verbose, "config": cfg.to_dict()})
    record = _nnlab.train(cfg, str(data), target, task, test_split, bridge)
    return TrainResult(record, History(record["history"], bridge.history.params))


__all__ = [
    "AvgPool2d", "BatchNorm", "Callback", "CallbackList", "Conv2d", "Dropout", "Flatten", "GlobalAvgPool", "History",
    "Hook", "Identity", "LambdaCallback", "Layer", "LayerNorm", "Linear", "MaxPool2d", "Model", "ProgressBar", "ReLU",
    "Residual", "Sequential", "Sigmoid", "Softmax", "Step", "Tanh", "TrainConfig", "TrainResult", "TrainingDiverged",
    "datasets", "experiments", "get_num_threads", "load", "save", "set_num_threads", "train",
]
