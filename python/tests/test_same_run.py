"""The same seed gives the same run from Python as from nnlab train: the history and the
saved weights, to the bit. NNLAB_CLI names the command-line tool (set by CTest)."""

import json
import os
import subprocess
import tempfile
import unittest

import numpy as np

import nnlab

CLI = os.environ.get("NNLAB_CLI", os.path.join(os.path.dirname(__file__), "../../build/nnlab"))


def cli_train(folder, *flags):
    subprocess.run([CLI, "train", *flags, "--out", folder, "--overwrite", "--progress", "quiet"], check=True,
                   capture_output=True, text=True)
    with open(os.path.join(folder, "history.json")) as f:
        record = json.load(f)
    return record, nnlab.load(os.path.join(folder, "model.safetensors"))


class SameRunAsTheCli(unittest.TestCase):
    def assert_same(self, record, history, cli_model, model):
        epochs = record["epochs"]
        self.assertEqual(len(epochs), len(history.epoch))
        self.assertEqual([e["train_loss"] for e in epochs], history.history["loss"])
        self.assertEqual([e["train_accuracy"] for e in epochs], history.history["accuracy"])
        self.assertEqual([e["lr"] for e in epochs], history.history["lr"])
        if epochs[0]["val_loss"] is not None:
            self.assertEqual([e["val_loss"] for e in epochs], history.history["val_loss"])
            self.assertEqual([e["val_accuracy"] for e in epochs], history.history["val_accuracy"])
        np.testing.assert_array_equal(np.float32(record["step_loss"]), np.float32(history.step_loss))
        for name, value in cli_model.parameters().items():
            np.testing.assert_array_equal(model.parameters()[name], value, err_msg=name)

    def test_train_equals_the_cli(self):
        """nnlab.train: the CLI's path, validation split included (an MLP and a conv net with augmentation)."""
        for spec, size in (("linear:64,relu,linear:10", 1000), ("conv:4x5x5,relu,maxpool:2,linear:10", 400)):
            with self.subTest(spec=spec), tempfile.TemporaryDirectory() as folder:
                flags = ["--model", spec, "--batch-size", "50", "--epochs", "2", "--train-size", str(size),
                         "--seed", "3", "--threads", "1"]
                record, cli_model = cli_train(folder, *flags)
                config = nnlab.TrainConfig(model=spec, train_size=size, epochs=2, batch_size=50, seed=3, threads=1)
                self.assertEqual(config.args(), flags)
                result = nnlab.train(config, verbose=0)
                self.assert_same(record, result.history, cli_model, result.model)
                self.assertEqual(result.test["accuracy"], record["test"]["accuracy"])

    def test_model_fit_equals_the_cli(self):
        """Model(spec, seed) + fit(seed) with validation_split=0: the CLI's weights and batches."""
        (x, y), _ = nnlab.datasets.mnist()
        spec = "linear:64,relu,linear:10"
        with tempfile.TemporaryDirectory() as folder:
            record, cli_model = cli_train(folder, "--model", spec, "--train-size", "1000", "--val-split", "0",
                                          "--epochs", "2", "--batch-size", "50", "--seed", "7", "--threads", "1",
                                          "--optimizer", "momentum", "--lr", "0.05")
        model = nnlab.Model(spec, input_shape=(1, 28, 28), seed=7)
        history = model.fit(x[:1000], y[:1000], epochs=2, batch_size=50, seed=7, threads=1, validation_split=0,
                            optimizer="momentum", lr=0.05, verbose=0)
        self.assert_same(record, history, cli_model, model)


if __name__ == "__main__":
    unittest.main()
