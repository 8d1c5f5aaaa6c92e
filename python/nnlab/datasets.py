"""Datasets as NumPy arrays, by the names `nnlab train --data` takes.

Images are float32 N×C×H×W in [0, 1], class labels int64, regression targets float32 N×K.
The arrays own the library's memory (no copy on the way out).
"""

from . import _nnlab


def load(data="mnist", *, target="", task="auto", test_split=0.2):
    """The data nnlab train --data DATA uses, split as it splits it: a dict of x_train, y_train,
    x_test, y_test, classes, num_classes, kind, name, description. DATA: mnist, fashion-mnist,
    iris, wine, breast-cancer, digits, diabetes, spirals, circles, xor, blobs, sine, a CSV file,
    or a folder (IDX files, or images with a subfolder per class)."""
    return _nnlab.load_data(str(data), target, task, test_split)


def mnist():
    """((x_train, y_train), (x_test, y_test)): $NNLAB_DATA's full MNIST, or the bundled sample
    (the first 8,000 images of MNIST's test set train, the last 2,000 test)."""
    d = load("mnist")
    return (d["x_train"], d["y_train"]), (d["x_test"], d["y_test"])


def fashion_mnist():
    """((x_train, y_train), (x_test, y_test)) of Fashion-MNIST (Debian's dataset-fashion-mnist)."""
    d = load("fashion-mnist")
    return (d["x_train"], d["y_train"]), (d["x_test"], d["y_test"])


def table(name_or_path, *, target="", task="auto", test_split=0.2):
    """A bundled table (iris, wine, breast-cancer, digits, diabetes) or a CSV file, encoded as
    nnlab train encodes it (numeric columns standardised, text one-hot): ((x_train, y_train),
    (x_test, y_test), classes)."""
    d = load(name_or_path, target=target, task=task, test_split=test_split)
    return (d["x_train"], d["y_train"]), (d["x_test"], d["y_test"]), d["classes"]


def toy(name, samples=1000, *, noise=0.1, seed=0):
    """A 2-D toy dataset of TensorFlow Playground (spirals, circles, xor, blobs; sine is a
    regression), generated from the seed: (x, y)."""
    return _nnlab.toy_dataset(name, samples, noise, seed)


def toy_names():
    return list(_nnlab.toy_dataset_names())


def table_names():
    return [n.strip() for n in _nnlab.bundled_table_names().split(",")]
