"""nnlab.TrainConfig: the library's TrainConfig, made from keywords."""

import json

from . import _nnlab

FIELDS = ("model", "hidden", "activation", "dropout", "init", "loss", "optimizer", "lr", "momentum", "beta1",
          "beta2", "alpha", "eps", "weight_decay", "l1", "schedule", "clip_norm", "clip_value", "augment",
          "batch_size", "accumulate_steps", "epochs", "iterations", "train_size", "val_split", "early_stopping",
          "early_stopping_metric", "min_delta", "seed", "split_seed", "shuffle_seed", "threads")


class TrainConfig(_nnlab.TrainConfig):
    """The whole training recipe: nnlab train's flags as fields, with its defaults.

    >>> config = nnlab.TrainConfig(model="simple-cnn", epochs=1, threads=2)
    >>> config.command()
    'nnlab train --model simple-cnn --epochs 1 --threads 2'
    """

    def __init__(self, **fields):
        super().__init__()
        for name, value in fields.items():
            self.set(name, value)

    def set(self, name, value):
        """Sets one field; ValueError for an unknown field or a value of the wrong type."""
        if name not in FIELDS:
            raise ValueError(f"TrainConfig has no field {name!r}; the fields: {', '.join(FIELDS)}")
        try:
            setattr(self, name, value)
        except TypeError:
            raise ValueError(f"TrainConfig.{name} = {value!r}: wrong type (now {getattr(self, name)!r})") from None

    @classmethod
    def copy_of(cls, config):
        """A TrainConfig with the fields of `config` (a TrainConfig or a dict of fields)."""
        if isinstance(config, dict):
            return cls(**config)
        if not isinstance(config, _nnlab.TrainConfig):
            raise ValueError(f"config must be an nnlab.TrainConfig or a dict of its fields, got {config!r}")
        return cls(**{name: getattr(config, name) for name in FIELDS})

    @classmethod
    def from_json(cls, text):
        return cls.copy_of(_nnlab.TrainConfig.from_json(text))

    def to_dict(self):
        """The fields as a dict of plain values."""
        return {name: getattr(self, name) for name in FIELDS}

    def __repr__(self):
        changed = {k: v for k, v in self.to_dict().items() if v != getattr(_DEFAULTS, k)}
        return "nnlab.TrainConfig(" + ", ".join(f"{k}={v!r}" for k, v in changed.items()) + ")"

    def __eq__(self, other):
        return isinstance(other, _nnlab.TrainConfig) and json.loads(self.to_json()) == json.loads(other.to_json())


_DEFAULTS = _nnlab.TrainConfig()
