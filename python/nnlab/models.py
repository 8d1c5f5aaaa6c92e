"""nnlab.Model and nnlab.Sequential: a model built by the library, used from NumPy."""

import sys

import numpy as np

from . import _nnlab, _threads
from .callbacks import CallbackList, History, ProgressBar
from .config import TrainConfig
from .layers import Layer, spec_of

_PRESET_INPUT = (1, 28, 28)

# fit's keywords that name TrainConfig fields under Keras's names.
_FIT_NAMES = {"validation_split": "val_split"}


class Model:
    """A Sequential model of nnlab layers, float32, built from a spec or preset.

    >>> model = nnlab.Model("conv:30x5x5,relu,maxpool:2,linear:100,relu,linear:10", input_shape=(1, 28, 28))
    >>> logits = model(x_test[:5])          # NumPy in, NumPy out (eval mode)

    The weights are initialised with `init` from Rng(seed) as `nnlab train` initialises them
    (with --val-split 0, nothing is drawn before them).
    """

    def __init__(self, spec, input_shape=None, *, init="auto", seed=0, loss=None):
        if not isinstance(spec, str):
            raise ValueError(f"spec must be a model spec or preset name (str), got {spec!r}")
        if input_shape is None:
            if _nnlab.is_preset(spec):
                input_shape = _PRESET_INPUT
            else:
                raise ValueError("input_shape is needed for a spec: one sample's shape, e.g. (784,) or (1, 28, 28)")
        self._core = _nnlab.Model.build(spec, _shape(input_shape), init, _seed(seed))
        if loss is not None:
            self._core.loss = loss
        self.history = None
        self.stop_training = False

    @classmethod
    def preset(cls, name, *, init="auto", seed=0):
        """A named model (what nnlab train --model NAME builds): simple-cnn, deep-cnn, resnet; input 1×28×28."""
        return cls(name, _PRESET_INPUT, init=init, seed=seed)

    @classmethod
    def _wrap(cls, core):
        model = cls.__new__(cls)
        model._core = core
        model.history = None
        model.stop_training = False
        return model

    # --- what it is -------------------------------------------------------------------------
    spec = property(lambda self: self._core.spec, doc="The model in the spec grammar.")
    input_shape = property(lambda self: self._core.input_shape, doc="One input sample's shape.")
    output_shape = property(lambda self: self._core.output_shape, doc="One output sample's shape.")
    parameter_count = property(lambda self: self._core.parameter_count, doc="Learnt values in all.")
    metadata = property(lambda self: dict(self._core.metadata), doc="The metadata of the file it was loaded from.")

    @property
    def loss(self):
        """The loss spec it trains and evaluates with ('' until set or trained: by the targets)."""
        return self._core.loss

    @loss.setter
    def loss(self, spec):
        self._core.loss = spec

    @property
    def classes(self):
        """Class names by label ([] when none are known)."""
        return list(self._core.classes)

    @classes.setter
    def classes(self, names):
        self._core.classes = [str(n) for n in names]

    @property
    def layers(self):
        """(type, spec token) of each layer."""
        return self._core.layers()

    @property
    def training(self):
        return self._core.training

    def train(self, mode=True):
        """Train mode (Dropout and BatchNorm as in training); returns the model."""
        self._core.training = bool(mode)
        return self

    def eval(self):
        """Eval mode; returns the model. Calling, predict and evaluate always use eval mode."""
        self._core.training = False
        return self

    def summary(self, print_fn=print):
        """Prints (or hands print_fn) a table of layers, output shapes and parameter counts."""
        print_fn(self._core.summary())

    def __repr__(self):
        return f"nnlab.Model({self.spec!r}, input_shape={self.input_shape})"

    # --- weights ----------------------------------------------------------------------------
    def parameters(self):
        """Name → NumPy view of each parameter ('0.weight', '0.bias', ...): the model's own
        memory, so model.parameters()['0.weight'][:] = w changes the model."""
        return self._core.parameters()

    def gradients(self):
        """Name → NumPy view of each parameter's last gradient."""
        return self._core.gradients()

    def state_dict(self):
        """Parameters and buffers by PyTorch's names, as NumPy views (no copies)."""
        state = dict(self._core.parameters())
        state.update(self._core.buffers())
        return state

    def load_state_dict(self, state, strict=True):
        """Copies the arrays of `state` (name → array, e.g. a PyTorch state_dict's tensors as
        NumPy) into the model; ValueError naming a missing, unknown or misshapen entry."""
        own = self.state_dict()
        names = {k for k in state if not k.endswith("num_batches_tracked")}
        if strict:
            missing = sorted(set(own) - names)
            unknown = sorted(names - set(own))
            if missing or unknown:
                raise ValueError(f"state dict: missing {missing}, unknown {unknown}")
        for name, value in state.items():
            if name not in own:
                continue
            value = np.asarray(value)
            if value.shape != own[name].shape:
                raise ValueError(f"state dict: {name} has shape {value.shape}, the model's {own[name].shape}")
            np.copyto(own[name], value, casting="same_kind")

    def clone(self):
        """An independent copy (the same weights, buffers, loss and classes)."""
        return Model._wrap(self._core.clone())

    def save(self, path):
        """Writes the model as a safetensors file nnlab (eval, predict, nnlab.load) and PyTorch read."""
        _nnlab.save(self._core, str(path))

    def export_onnx(self, path):
        """Writes the model as an ONNX file (opset 17, dynamic batch) for onnxruntime and other
        runtimes; returns {"path", "input", "output", "nodes", "opset"}: the file, the names of its
        input and output, its node count and opset (docs/export.md)."""
        return _nnlab.export_onnx(self._core, str(path))

    # --- using it ---------------------------------------------------------------------------
    def __call__(self, x, *, batch_size=100, threads=None):
        """The outputs (logits) for x of shape (N, *input_shape), in eval mode; see predict."""
        return self.predict(x, batch_size=batch_size, threads=threads)

    def predict(self, x, *, batch_size=100, threads=None):
        """The outputs for x of shape (N, *input_shape) (or one sample), in eval mode, batch_size
        samples at a time, with the GIL released. x is copied once into float32 (float64 and
        integers converted, non-contiguous arrays gathered); returns a new (N, outputs) array."""
        return self._core.forward(x, batch_size, _threads.resolve(threads))

    def predict_classes(self, x, **kw):
        """The class of each sample: the index of its largest output."""
        return np.argmax(self.predict(x, **kw), axis=1)

    def evaluate(self, x, y, *, batch_size=100, threads=None):
        """{'loss', 'accuracy'} on integer labels y, {'loss', 'mse', 'mae', 'r2'} on float targets."""
        return self._core.evaluate(x, y, batch_size, _threads.resolve(threads))

    def register_forward_hook(self, fn, layer=None):
        """Calls fn(index, layer_type, input, output) after a layer's forward (every layer, or
        the one at index `layer`), with copies of its input and output as NumPy arrays, when
        the model is called (predict, evaluate; not inside fit). Returns a handle with remove()."""
        if not callable(fn):
            raise ValueError(f"hook must be callable, got {fn!r}")
        return self._core.add_forward_hook(fn, -1 if layer is None else int(layer))

    # --- training ---------------------------------------------------------------------------
    def fit(self, x, y, *, epochs=None, batch_size=None, optimizer=None, lr=None, schedule=None,
            weight_decay=None, validation_data=None, validation_split=None, seed=None, threads=None,
            callbacks=None, verbose=1, config=None, **options):
        """Trains the model from its current weights, Keras's way, on the library's TrainConfig.

        The settings are nnlab train's flags (their defaults when not given: Adam, cosine
        schedule, batch 64, 20 epochs, 10% held out for validation); `config` gives a
        TrainConfig to start from, and **options any other of its fields (momentum, augment,
        clip_norm, early_stopping, iterations, accumulate_steps, ...). validation_data=(x, y)
        validates on those samples instead of a split. The run uses Rng(seed) as nnlab train
        does: the batches (and split) are the command line's. Returns a History (also kept as
        model.history) whose .history holds plain lists: loss, accuracy, val_loss, val_accuracy, lr.

        Training runs with the GIL released; callbacks (objects with on_epoch_end(epoch, logs),
        on_batch_end(batch, logs), ...) get it while they run. Ctrl-C stops after the current
        step: the model keeps the weights trained so far, model.history the epochs completed,
        and KeyboardInterrupt is raised.
        """
        cfg = TrainConfig.copy_of(config) if config is not None else TrainConfig()
        given = dict(epochs=epochs, batch_size=batch_size, optimizer=optimizer, lr=lr, schedule=schedule,
                     weight_decay=weight_decay, val_split=validation_split, seed=seed)
        if "init" in options:
            raise ValueError("init applies when a model is built: nnlab.Model(spec, init=...); fit trains the "
                             "model's current weights")
        if "model" in options:
            raise ValueError("fit trains this model; to train a spec, build it: nnlab.Model(spec, input_shape)")
        for name, value in options.items():
            given[_FIT_NAMES.get(name, name)] = value
        for name, value in given.items():
            if value is not None:
                cfg.set(name, value)
        cfg.threads = _threads.resolve(threads)
        val_x = val_y = None
        if validation_data is not None:
            if validation_split:
                raise ValueError("give validation_data or validation_split, not both")
            try:
                val_x, val_y = validation_data
            except (TypeError, ValueError):
                raise ValueError("validation_data must be a pair (x, y)") from None
            cfg.val_split = 0.0
        if verbose not in (0, 1, 2):
            raise ValueError(f"verbose must be 0 (silent), 1 (progress bar) or 2 (one line per epoch), got {verbose!r}")
        callbacks = list(callbacks or [])
        if verbose:
            callbacks.append(ProgressBar(verbose))
        bridge = CallbackList(callbacks, model=self, params={"verbose": verbose, "config": cfg.to_dict()})
        try:
            record = _nnlab.fit(self._core, cfg, x, y, val_x, val_y, bridge)
        except KeyboardInterrupt:
            self.history = bridge.history
            self.history.stop_reason = "interrupted (KeyboardInterrupt)"
            print(f"\nnnlab: training interrupted after {len(self.history.epoch)} complete epochs; the model "
                  "keeps the weights of the last step, model.history the epochs so far", file=sys.stderr)
            raise
        self.history = History(record, bridge.history.params)
        return self.history


class Sequential(Model):
    """A model of layer objects, PyTorch's way:

    >>> model = nnlab.Sequential([nnlab.Linear(784, 100), nnlab.ReLU(), nnlab.Linear(100, 10)])

    input_shape may be left out when the first layer is a Linear (its in_features); a first
    Conv2d needs it, e.g. input_shape=(1, 28, 28). The library builds the model from the
    layers' spec tokens and checks each in_features/in_channels against what it infers.
    """

    def __init__(self, layers, input_shape=None, *, init="auto", seed=0, loss=None):
        layers = list(layers)
        spec = spec_of(layers)
        if input_shape is None:
            first = layers[0] if layers else None
            if isinstance(first, Layer) and first.expects and first.expects[0] == "in_features":
                input_shape = (first.expects[1],)
            else:
                raise ValueError("input_shape is needed unless the first layer is a Linear: e.g. input_shape=(1, 28, 28)")
        super().__init__(spec, input_shape, init=init, seed=seed, loss=loss)
        self._check(layers)

    def _check(self, layers):
        params = self._core.parameters()
        for index, layer in enumerate(layers):
            if not isinstance(layer, Layer) or not layer.expects:
                continue
            what, size = layer.expects
            weight = params.get(f"{index}.weight")
            if weight is None:
                continue
            got = weight.shape[0] if what == "num_features" else weight.shape[1]
            if what == "in_features" and weight.ndim == 2:
                got = weight.shape[1]
            if got != size:
                raise ValueError(f"layer {index} ({layer!r}) was given {what}={size}, but its input has {got} "
                                 f"(from input_shape {self.input_shape} and the layers before it)")


def _shape(input_shape):
    if isinstance(input_shape, int):
        input_shape = (input_shape,)
    try:
        dims = [int(d) for d in input_shape]
    except (TypeError, ValueError):
        raise ValueError(f"input_shape must be a tuple of sizes such as (1, 28, 28), got {input_shape!r}") from None
    return dims


def _seed(seed):
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed must be a whole number, at least 0, got {seed!r}")
    return seed
