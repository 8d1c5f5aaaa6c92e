"""Keras-like callbacks, the History of a fit, and a progress display that rewrites its line.

A callback is any object with some of on_train_begin(logs), on_epoch_begin(epoch, logs),
on_batch_end(batch, logs), on_epoch_end(epoch, logs) and on_train_end(logs); epochs and batches
count from 0, as in Keras. Training runs with the GIL released; nnlab takes it only to call
these. Setting model.stop_training = True (or self.model.stop_training in a Callback) ends the
run after the current step.
"""

import math
import sys
import time


class Callback:
    """Base class with empty methods; self.model is the model being trained, self.params the run's."""

    def __init__(self):
        self.model = None
        self.params = {}

    def set_model(self, model):
        self.model = model

    def set_params(self, params):
        self.params = params

    def on_train_begin(self, logs=None):
        pass

    def on_epoch_begin(self, epoch, logs=None):
        pass

    def on_epoch_end(self, epoch, logs=None):
        pass

    def on_train_end(self, logs=None):
        pass


class LambdaCallback(Callback):
    """A callback from functions: LambdaCallback(on_epoch_end=lambda epoch, logs: print(logs))."""

    def __init__(self, on_train_begin=None, on_epoch_end=None, on_batch_end=None, on_train_end=None):
        super().__init__()
        if on_train_begin is not None:
            self.on_train_begin = on_train_begin
        if on_epoch_end is not None:
            self.on_epoch_end = on_epoch_end
        if on_batch_end is not None:
            self.on_batch_end = on_batch_end
        if on_train_end is not None:
            self.on_train_end = on_train_end


class History:
    """The record of a fit: .history is a dict of plain lists (loss, accuracy, val_loss,
    val_accuracy, lr), one value per epoch; .epoch the epoch indices (from 0)."""

    def __init__(self, record=None, params=None):
        record = record or {}
        self.history = {k: list(v) for k, v in record.get("history", {}).items()}
        self.epoch = list(record.get("epoch", []))
        self.steps = list(record.get("steps", []))
        self.seconds = list(record.get("seconds", []))
        self.step_loss = list(record.get("step_loss", []))
        self.stop_reason = record.get("stop_reason", "")
        self.best_epoch = record.get("best_epoch", 0)
        self.restored = record.get("restored", False)
        self.params = dict(params or {})

    def _append(self, epoch, logs):
        self.epoch.append(epoch)
        for key in ("loss", "accuracy", "val_loss", "val_accuracy", "lr"):
            if key in logs:
                self.history.setdefault(key, []).append(logs[key])
        self.steps.append(logs.get("steps", 0))
        self.seconds.append(logs.get("seconds", 0.0))

    def __repr__(self):
        last = {k: round(v[-1], 4) for k, v in self.history.items() if v}
        return f"History({len(self.epoch)} epochs, {self.stop_reason or 'running'}, last {last})"


def _format_logs(logs, keys=("loss", "accuracy", "val_loss", "val_accuracy")):
    parts = []
    for key in keys:
        value = logs.get(key)
        if value is not None and not (isinstance(value, float) and math.isnan(value)):
            parts.append(f"{key}: {value:.4f}")
    return " - ".join(parts)


class ProgressBar(Callback):
    """One line per epoch that rewrites itself with '\\r' while the epoch runs (a terminal and a
    Jupyter cell's output both honour it); verbose=2 writes only the line at each epoch's end."""

    def __init__(self, verbose=1, stream=None, width=30):
        super().__init__()
        self.verbose = verbose
        self.stream = stream
        self.width = width
        self._epochs = 0
        self._batches = 0
        self._start = 0.0
        self._last_len = 0
        self._last_write = 0.0

    def _out(self):
        return self.stream if self.stream is not None else sys.stdout

    def _write(self, text, end=""):
        out = self._out()
        pad = max(0, self._last_len - len(text))
        out.write("\r" + text + " " * pad + end)
        out.flush()
        self._last_len = 0 if end else len(text)

    def on_train_begin(self, logs=None):
        logs = logs or {}
        self._epochs = logs.get("epochs", 0)
        steps = logs.get("steps", 0)
        self._batches = steps // self._epochs if self._epochs else steps
        self._epoch = 0
        self._start = time.monotonic()

    def on_batch_end(self, batch, logs=None):
        if self.verbose != 1:
            return
        done = batch + 1
        total = max(self._batches, done)
        now = time.monotonic()
        if now - self._last_write < 0.1 and done < total:
            return
        self._last_write = now
        filled = int(self.width * done / total)
        bar = "=" * max(filled - 1, 0) + (">" if filled < self.width else "=") + "." * (self.width - filled)
        elapsed = time.monotonic() - self._start
        eta = elapsed / done * (total - done)
        self._write(f"Epoch {self._epoch + 1}/{self._epochs} {done}/{total} [{bar}] - ETA {eta:.0f}s - "
                    f"loss: {(logs or {}).get('loss', float('nan')):.4f}")

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        seconds = time.monotonic() - self._start
        self._write(f"Epoch {epoch + 1}/{self._epochs} - {seconds:.1f}s - {_format_logs(logs)}", end="\n")
        self._epoch = epoch + 1
        self._start = time.monotonic()

    def on_train_end(self, logs=None):
        if self._last_len:
            self._write("", end="\r")


class CallbackList:
    """What nnlab's training loop calls: it passes each event on to the callbacks and records
    the History as the epochs end (so that an interrupted fit keeps what it did)."""

    def __init__(self, callbacks, model=None, params=None):
        self.callbacks = list(callbacks or [])
        self.model = model
        self.history = History(params=params)
        self.every_batch = any(callable(getattr(c, "on_batch_end", None)) and not isinstance(c, ProgressBar)
                               for c in self.callbacks)
        for c in self.callbacks:
            if not any(callable(getattr(c, name, None)) for name in
                       ("on_train_begin", "on_epoch_begin", "on_batch_end", "on_epoch_end", "on_train_end")):
                raise ValueError(f"callback {c!r} has none of on_train_begin, on_epoch_begin, on_batch_end, "
                                 "on_epoch_end, on_train_end")
            if model is not None and callable(getattr(c, "set_model", None)):
                c.set_model(model)
        if model is not None:
            model.stop_training = False

    @property
    def stop_training(self):
        return bool(getattr(self.model, "stop_training", False))

    def _call(self, name, *args):
        for c in self.callbacks:
            fn = getattr(c, name, None)
            if callable(fn):
                fn(*args)

    def on_train_begin(self, params):
        self.history.params.update(params)
        for c in self.callbacks:
            if callable(getattr(c, "set_params", None)):
                c.set_params(dict(self.history.params))
        self._call("on_train_begin", dict(params))
        self._call("on_epoch_begin", 0, {})

    def on_batch_end(self, batch, logs):
        self._call("on_batch_end", batch, logs)

    def on_epoch_end(self, epoch, logs):
        self.history._append(epoch, logs)
        self._call("on_epoch_end", epoch, logs)
        if epoch + 1 < self.history.params.get("epochs", 0):
            self._call("on_epoch_begin", epoch + 1, {})

    def on_train_end(self, logs):
        self.history.stop_reason = logs.get("stop_reason", "")
        self._call("on_train_end", logs)
