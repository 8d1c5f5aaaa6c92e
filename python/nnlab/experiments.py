"""The classic demonstrations of the textbook, with their results as plain data (dicts of
lists and NumPy arrays): plot them with matplotlib or read the numbers."""

from . import _nnlab, _threads


def optimizer_paths(surface="bowl", steps=30):
    """Each optimizer on f = x²/20 + y² ('bowl') or x² − y² ('saddle'): [{label, optimizer, x, y, loss, escape_step}]."""
    return _nnlab.optimizer_paths(surface, steps)


def decision_boundary(dataset="spirals", hidden=(64, 64), *, epochs=30, resolution=60, seed=0, threads=1):
    """An MLP of `hidden` ReLU layers on a 2-D toy, and its class probabilities over the plane."""
    return _nnlab.decision_boundary(dataset, list(hidden), epochs, resolution, seed, threads)


def activation_histograms(activations=("sigmoid", "tanh", "relu"), *, samples=1000, units=100, layers=5, seed=0):
    """Activations of 5 layers for each activation × initialiser (std 1, std 0.01, Xavier, He)."""
    return _nnlab.activation_histograms(list(activations), samples, units, layers, seed)


def compare_optimizers(iterations=2000, *, batch_size=128, seed=0, threads=None):
    """SGD, Momentum, Nesterov, AdaGrad, RMSProp and Adam training the same MLP on MNIST."""
    return _nnlab.compare_optimizers(iterations, batch_size, seed, _threads.resolve(threads))


def compare_inits(iterations=2000, *, batch_size=128, seed=0, threads=None):
    """std 0.01, Xavier and He initialisation of the same MLP, trained with SGD on MNIST."""
    return _nnlab.compare_inits(iterations, batch_size, seed, _threads.resolve(threads))


def learn_filters(epochs=5, *, train_size=0, seed=0, threads=None):
    """SimpleConvNet's first-layer filters before and after training (30×1×5×5 arrays)."""
    return _nnlab.learn_filters(epochs, train_size, seed, _threads.resolve(threads))


def learn_regression(epochs=60, *, seed=0, threads=1):
    """A noisy sine learned by a regression head (MSE) and by a classification head."""
    return _nnlab.learn_regression(epochs, seed, threads)
