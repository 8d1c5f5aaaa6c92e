"""Layer objects, PyTorch's names and arguments, for nnlab.Sequential([...]).

Each one stands for one token of nnlab's model-spec grammar (docs/model-spec.md): the model is
built by the library from those tokens, so a Sequential of layer objects and a Model of the
same spec are the same model. Sizes PyTorch asks for (in_features, in_channels) are checked
against the sizes the library infers from the input shape.
"""


class Layer:
    """One layer of a Sequential: its spec token, and the input size it expects (or None)."""

    type = "Layer"

    def __init__(self, token, expects=None):
        self.token = token
        self.expects = expects  # (what, size): ("in_features", 784)

    def spec(self):
        return self.token

    def __repr__(self):
        return f"{self.type}({self.token!r})"


def _options(**values):
    return "".join(f":{k}={v}" for k, v in values.items() if v is not None)


def _init(init):
    return None if init is None else init


class Linear(Layer):
    """y = x Wᵀ + b with W of shape (out_features, in_features); 'linear:OUT'."""

    type = "Linear"

    def __init__(self, in_features, out_features, bias=True, init=None):
        super().__init__("linear:" + str(int(out_features)) + (":bias=false" if not bias else "") +
                         _options(init=_init(init)), ("in_features", int(in_features)))
        self.in_features, self.out_features = int(in_features), int(out_features)


class Conv2d(Layer):
    """A 2-D convolution (cross-correlation, as PyTorch's); 'conv:OUTxKHxKW[:stride=S][:pad=P]'."""

    type = "Conv2d"

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, bias=True, init=None):
        kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else tuple(kernel_size)
        token = f"conv:{int(out_channels)}x{int(kh)}x{int(kw)}"
        token += _options(stride=stride if stride != 1 else None, pad=padding if padding != 0 else None)
        token += ":bias=false" if not bias else ""
        token += _options(init=_init(init))
        super().__init__(token, ("in_channels", int(in_channels)))
        self.in_channels, self.out_channels = int(in_channels), int(out_channels)


class _Pool(Layer):
    def __init__(self, name, kernel_size, stride=None, padding=0):
        token = f"{name}:{int(kernel_size)}" + _options(stride=stride, pad=padding if padding else None)
        super().__init__(token)


class MaxPool2d(_Pool):
    type = "MaxPool2d"

    def __init__(self, kernel_size, stride=None, padding=0):
        super().__init__("maxpool", kernel_size, stride, padding)


class AvgPool2d(_Pool):
    type = "AvgPool2d"

    def __init__(self, kernel_size, stride=None, padding=0):
        super().__init__("avgpool", kernel_size, stride, padding)


def _simple(name, token, doc):
    cls = type(name, (Layer,), {"type": name, "__doc__": doc,
                                "__init__": lambda self: Layer.__init__(self, token)})
    return cls


ReLU = _simple("ReLU", "relu", "max(0, x).")
Sigmoid = _simple("Sigmoid", "sigmoid", "1 / (1 + exp(−x)).")
Tanh = _simple("Tanh", "tanh", "tanh(x).")
Softmax = _simple("Softmax", "softmax", "softmax over each sample's outputs.")
Identity = _simple("Identity", "identity", "x.")
Step = _simple("Step", "step", "1 where x > 0, else 0 (the perceptron's; not trainable).")
Flatten = _simple("Flatten", "flatten", "C×H×W → C·H·W.")
GlobalAvgPool = _simple("GlobalAvgPool", "gap", "C×H×W → C, the mean of each channel.")


class BatchNorm(Layer):
    """Batch normalisation per feature (dense input) or per channel (images); PyTorch's eps and momentum."""

    type = "BatchNorm"

    def __init__(self, num_features=None, eps=None, momentum=None):
        super().__init__("batchnorm" + _options(eps=eps, momentum=momentum),
                         None if num_features is None else ("num_features", int(num_features)))


class LayerNorm(Layer):
    """Layer normalisation over all the elements of each sample."""

    type = "LayerNorm"

    def __init__(self, eps=None):
        super().__init__("layernorm" + _options(eps=eps))


class Dropout(Layer):
    """Inverted dropout with probability p in training, the identity in eval mode."""

    type = "Dropout"

    def __init__(self, p=0.5):
        super().__init__(f"dropout:{p!r}")


class Residual(Layer):
    """x + body(x): a residual block of the layers given ('res(SPEC)')."""

    type = "Residual"

    def __init__(self, *layers):
        if len(layers) == 1 and isinstance(layers[0], (list, tuple)):
            layers = tuple(layers[0])
        self.layers = list(layers)
        super().__init__("res(" + ",".join(_token(l) for l in self.layers) + ")")


def _token(layer):
    if isinstance(layer, Layer):
        return layer.spec()
    if isinstance(layer, str):
        return layer
    raise ValueError(f"a layer must be an nnlab layer (nnlab.Linear(784, 100), nnlab.ReLU(), ...) or a spec token "
                     f"such as 'relu', got {layer!r}")


def spec_of(layers):
    """The model spec of a list of layers (layer objects or spec tokens)."""
    if not layers:
        raise ValueError("Sequential needs at least one layer")
    return ",".join(_token(l) for l in layers)
