"""import nnlab: arrays, models, training, callbacks, hooks, files and errors, with real values."""

import os
import tempfile
import unittest

import numpy as np

import nnlab

MLP = "linear:32,relu,linear:10"


def mnist_subset(n=600):
    (x, y), (x_test, y_test) = nnlab.datasets.mnist()
    return x[:n], y[:n], x_test[:300], y_test[:300]


class Arrays(unittest.TestCase):
    def test_parameters_are_views_of_the_model(self):
        model = nnlab.Model("linear:3", input_shape=(4,), seed=1)
        params = model.parameters()
        self.assertEqual(params["0.weight"].shape, (3, 4))
        self.assertEqual(params["0.weight"].dtype, np.float32)
        params["0.weight"][:] = 0
        params["0.bias"][:] = [1.0, 2.0, 3.0]
        out = model(np.ones((2, 4), np.float32))
        np.testing.assert_array_equal(out, [[1, 2, 3], [1, 2, 3]])
        # A second look sees the same memory.
        self.assertEqual(model.parameters()["0.bias"][2], 3.0)
        w = model.parameters()["0.weight"]
        w[1, 2] = 5.0
        np.testing.assert_array_equal(model(np.array([[0, 0, 1, 0]], np.float32)), [[1, 7, 3]])

    def test_views_keep_the_model_alive(self):
        model = nnlab.Model("linear:3", input_shape=(4,), seed=1)
        w = model.parameters()["0.weight"]
        expected = w.copy()
        del model
        np.testing.assert_array_equal(w, expected)

    def test_datasets_as_arrays(self):
        (x, y), (x_test, y_test) = nnlab.datasets.mnist()
        self.assertEqual(x.shape, (8000, 1, 28, 28))
        self.assertEqual(x_test.shape, (2000, 1, 28, 28))
        self.assertEqual(y.dtype, np.int64)
        self.assertEqual(list(y[:10]), [7, 2, 1, 0, 4, 1, 4, 9, 5, 9])  # MNIST's test set begins so
        self.assertAlmostEqual(float(x.max()), 1.0)
        x2, y2 = nnlab.datasets.toy("spirals", 200, seed=3)
        self.assertEqual(x2.shape, (200, 2))
        self.assertEqual(set(np.unique(y2)), {0, 1})
        (xi, yi), (xit, yit), classes = nnlab.datasets.table("iris")
        self.assertEqual(xi.shape[1], 4)
        self.assertEqual(len(xi) + len(xit), 150)
        self.assertEqual(len(classes), 3)

    def test_float64_and_non_contiguous_inputs_are_converted(self):
        model = nnlab.Model(MLP, input_shape=(1, 28, 28), seed=0)
        x, _, _, _ = mnist_subset(8)
        reference = model(x)
        np.testing.assert_array_equal(model(x.astype(np.float64)), reference)
        strided = np.repeat(x, 2, axis=0)[::2]
        self.assertFalse(strided.flags["C_CONTIGUOUS"])
        np.testing.assert_array_equal(model(strided), reference)
        # The same images as 784 values each: flattened as a Linear flattens them.
        np.testing.assert_array_equal(model(x.reshape(8, 784)), reference)


class Training(unittest.TestCase):
    def test_fit_learns_and_history_is_plain_lists(self):
        x, y, x_test, y_test = mnist_subset(2000)
        model = nnlab.Model(MLP, input_shape=(1, 28, 28), seed=0)
        before = model.evaluate(x_test, y_test)["accuracy"]
        history = model.fit(x, y, epochs=3, batch_size=50, lr=0.01, threads=1, verbose=0)
        self.assertEqual(history.epoch, [0, 1, 2])
        for key in ("loss", "accuracy", "val_loss", "val_accuracy", "lr"):
            self.assertIsInstance(history.history[key], list)
            self.assertEqual(len(history.history[key]), 3)
            self.assertTrue(all(isinstance(v, float) for v in history.history[key]))
        self.assertLess(history.history["loss"][2], history.history["loss"][0])
        after = model.evaluate(x_test, y_test)
        self.assertLess(before, 0.3)
        self.assertGreater(after["accuracy"], 0.8)
        self.assertIs(model.history, history)
        self.assertEqual(history.stop_reason, "completed 3 epochs")
        self.assertEqual(len(history.step_loss), 3 * 36)  # 1800 training images in batches of 50

    def test_validation_data_and_callbacks(self):
        x, y, x_test, y_test = mnist_subset(500)
        seen = []
        batches = []
        model = nnlab.Model(MLP, input_shape=(1, 28, 28), seed=0)
        callback = nnlab.LambdaCallback(on_epoch_end=lambda epoch, logs: seen.append((epoch, dict(logs))),
                                        on_batch_end=lambda batch, logs: batches.append(batch))
        history = model.fit(x, y, epochs=2, batch_size=100, validation_data=(x_test, y_test), callbacks=[callback],
                            verbose=0, threads=1)
        self.assertEqual([e for e, _ in seen], [0, 1])
        self.assertEqual(seen[1][1]["val_accuracy"], history.history["val_accuracy"][1])
        self.assertAlmostEqual(seen[1][1]["val_accuracy"], model.evaluate(x_test, y_test)["accuracy"], places=12)
        self.assertEqual(batches, [0, 1, 2, 3, 4] * 2)  # every batch: val_split is 0 with validation_data

    def test_a_callback_stops_training(self):
        x, y, _, _ = mnist_subset(500)

        class StopAfterOne(nnlab.Callback):
            def on_epoch_end(self, epoch, logs=None):
                self.model.stop_training = True

        model = nnlab.Model(MLP, input_shape=(1, 28, 28))
        history = model.fit(x, y, epochs=5, callbacks=[StopAfterOne()], verbose=0, threads=1)
        self.assertEqual(len(history.epoch), 1)
        self.assertEqual(history.stop_reason, "stopped by a callback")

    def test_keyboard_interrupt_stops_cleanly(self):
        x, y, _, _ = mnist_subset(2000)
        model = nnlab.Model(MLP, input_shape=(1, 28, 28), seed=0)
        start = model.parameters()["0.weight"].copy()

        class Interrupt(nnlab.Callback):
            def on_epoch_end(self, epoch, logs=None):
                if epoch == 1:
                    raise KeyboardInterrupt

        with self.assertRaises(KeyboardInterrupt):
            model.fit(x, y, epochs=10, batch_size=100, lr=0.01, callbacks=[Interrupt()], verbose=0, threads=1)
        self.assertEqual(model.history.epoch, [0, 1])
        self.assertFalse(np.array_equal(model.parameters()["0.weight"], start))  # it keeps what it learnt
        self.assertGreater(model.evaluate(x, y)["accuracy"], 0.8)
        # The model trains on afterwards.
        model.fit(x[:200], y[:200], epochs=1, verbose=0, threads=1)

    def test_a_callback_exception_is_raised_after_training(self):
        x, y, _, _ = mnist_subset(300)

        def boom(epoch, logs):
            raise ZeroDivisionError("from the callback")

        model = nnlab.Model(MLP, input_shape=(1, 28, 28))
        with self.assertRaisesRegex(ZeroDivisionError, "from the callback"):
            model.fit(x, y, epochs=3, callbacks=[nnlab.LambdaCallback(on_epoch_end=boom)], verbose=0, threads=1)

    def test_progress_rewrites_one_line(self):
        import io
        x, y, _, _ = mnist_subset(300)
        stream = io.StringIO()
        model = nnlab.Model(MLP, input_shape=(1, 28, 28))
        model.fit(x, y, epochs=2, verbose=0, callbacks=[nnlab.ProgressBar(1, stream=stream)], threads=1)
        text = stream.getvalue()
        self.assertIn("\r", text)
        lines = [l.split("\r")[-1] for l in text.split("\n") if l.split("\r")[-1]]
        self.assertEqual(len(lines), 2)
        self.assertTrue(lines[0].startswith("Epoch 1/2 - "))
        self.assertIn("val_accuracy", lines[1])

    def test_sequential_of_layers_equals_the_spec(self):
        layers = [nnlab.Conv2d(1, 4, 5), nnlab.ReLU(), nnlab.MaxPool2d(2), nnlab.Linear(4 * 12 * 12, 10)]
        a = nnlab.Sequential(layers, input_shape=(1, 28, 28), seed=5)
        b = nnlab.Model("conv:4x5x5,relu,maxpool:2,linear:10", input_shape=(1, 28, 28), seed=5)
        self.assertEqual(a.spec, b.spec)
        for name, value in a.parameters().items():
            np.testing.assert_array_equal(value, b.parameters()[name])
        mlp = nnlab.Sequential([nnlab.Linear(784, 100), nnlab.ReLU(), nnlab.Linear(100, 10)])
        self.assertEqual(mlp.input_shape, (784,))
        self.assertEqual(mlp.parameter_count, 784 * 100 + 100 + 100 * 10 + 10)

    def test_train_config_fields_are_the_flags(self):
        config = nnlab.TrainConfig(model="simple-cnn", epochs=1, batch_size=32, lr=0.01, threads=2)
        self.assertEqual(config.command(), "nnlab train --model simple-cnn --lr 0.01 --batch-size 32 --epochs 1 --threads 2")
        self.assertEqual(nnlab.TrainConfig.from_json(config.to_json()), config)
        self.assertEqual(nnlab.TrainConfig().optimizer, "adam")

    def test_toy_data_regression(self):
        x, y = nnlab.datasets.toy("sine", 400, seed=0)
        self.assertEqual(y.dtype, np.float32)
        model = nnlab.Model("linear:32,tanh,linear:32,tanh,linear:1", input_shape=(1,))
        model.fit(x, y, epochs=30, batch_size=16, lr=0.01, verbose=0, threads=1)
        metrics = model.evaluate(x, y)
        self.assertGreater(metrics["r2"], 0.8)
        self.assertEqual(model.loss, "mse")


class Hooks(unittest.TestCase):
    def test_forward_hook_hands_arrays(self):
        model = nnlab.Model("linear:5,relu,linear:2", input_shape=(3,), seed=2)
        seen = []
        handle = model.register_forward_hook(lambda i, kind, x, y: seen.append((i, kind, x.shape, y.copy())))
        x = np.arange(12, dtype=np.float32).reshape(4, 3)
        out = model(x)
        self.assertEqual([(i, k, s) for i, k, s, _ in seen], [(0, "Linear", (4, 3)), (1, "ReLU", (4, 5)),
                                                            (2, "Linear", (4, 5))])
        self.assertTrue((seen[1][3] >= 0).all())
        np.testing.assert_array_equal(seen[2][3], out)
        handle.remove()
        model(x)
        self.assertEqual(len(seen), 3)
        only = []
        model.register_forward_hook(lambda i, kind, x, y: only.append(i), layer=1)
        model(x)
        self.assertEqual(only, [1])


class Files(unittest.TestCase):
    def test_save_and_load(self):
        x, y, x_test, y_test = mnist_subset(300)
        model = nnlab.Model(MLP, input_shape=(1, 28, 28), seed=0)
        model.fit(x, y, epochs=1, verbose=0, threads=1)
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "m.safetensors")
            model.save(path)
            loaded = nnlab.load(path)
        self.assertEqual(loaded.spec, model.spec)
        self.assertEqual(loaded.loss, "cross-entropy")
        np.testing.assert_array_equal(loaded(x_test), model(x_test))

    def test_export_onnx(self):
        import onnx  # Debian's python3-onnx (scripts/install-deps.sh)
        import onnx.numpy_helper
        model = nnlab.Model("conv:4x3x3:pad=1,relu,maxpool:2,linear:10", input_shape=(1, 28, 28), seed=0)
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "m.onnx")
            info = model.export_onnx(path)
            self.assertEqual(info["path"], path)
            self.assertEqual((info["input"], info["output"], info["opset"]), ("input", "logits", 17))
            proto = onnx.load(path)
            onnx.checker.check_model(proto, full_check=True)
            self.assertEqual([n.op_type for n in proto.graph.node], ["Conv", "Relu", "MaxPool", "Flatten", "Gemm"])
            self.assertEqual(info["nodes"], len(proto.graph.node))
            dims = proto.graph.input[0].type.tensor_type.shape.dim
            self.assertEqual([d.dim_param or d.dim_value for d in dims], ["batch", 1, 28, 28])
            weight = next(t for t in proto.graph.initializer if t.name == "0.weight")
            np.testing.assert_array_equal(onnx.numpy_helper.to_array(weight), model.parameters()["0.weight"])
            with self.assertRaises(OSError):
                model.export_onnx(os.path.join(folder, "no-such-folder", "m.onnx"))


class Errors(unittest.TestCase):
    def setUp(self):
        self.model = nnlab.Model(MLP, input_shape=(1, 28, 28))
        self.x, self.y, _, _ = mnist_subset(100)

    def test_bad_arguments_raise_with_nnlab_messages(self):
        with self.assertRaisesRegex(ValueError, r"x of shape \(2, 3, 32, 32\) for a model that takes samples of shape \(1, 28, 28\)"):
            self.model(np.zeros((2, 3, 32, 32), np.float32))
        with self.assertRaisesRegex(ValueError, "unknown layer 'relux'"):
            nnlab.Model("linear:5,relux", input_shape=(4,))
        with self.assertRaisesRegex(ValueError, "optimizer"):
            self.model.fit(self.x, self.y, optimizer="adamm", verbose=0)
        with self.assertRaisesRegex(ValueError, "epochs"):
            self.model.fit(self.x, self.y, epochs=-1, verbose=0)
        with self.assertRaisesRegex(ValueError, r"y\[3\] is class 12"):
            bad = self.y.copy()
            bad[3] = 12
            self.model.fit(self.x, bad, epochs=1, verbose=0)
        with self.assertRaisesRegex(ValueError, "one target per sample"):
            self.model.fit(self.x, self.y[:50], verbose=0)
        with self.assertRaisesRegex(ValueError, "must hold numbers"):
            self.model(np.array([["a"] * 784]))
        with self.assertRaisesRegex(ValueError, "NaN"):
            self.model(np.full((1, 784), np.nan, np.float32))
        with self.assertRaisesRegex(ValueError, "input_shape"):
            nnlab.Model("linear:10")
        with self.assertRaisesRegex(ValueError, "TrainConfig has no field 'epoch'"):
            nnlab.TrainConfig(epoch=3)
        with self.assertRaisesRegex(ValueError, "batch_size"):
            self.model(self.x, batch_size=0)
        with self.assertRaisesRegex(ValueError, "in_features=100, but its input has 784"):
            nnlab.Sequential([nnlab.Linear(100, 10)], input_shape=(784,))

    def test_files(self):
        with self.assertRaises(FileNotFoundError):
            nnlab.load("/nonexistent/model.safetensors")
        with self.assertRaises(FileNotFoundError):
            nnlab.datasets.load("/nonexistent/table.csv")
        with tempfile.NamedTemporaryFile(suffix=".safetensors") as f:
            f.write(b"not a model")
            f.flush()
            with self.assertRaisesRegex(OSError, f.name):
                nnlab.load(f.name)
        with self.assertRaisesRegex(OSError, "/nonexistent"):
            self.model.save("/nonexistent/folder/m.safetensors")

    def test_the_model_still_works_after_errors(self):
        for bad in (np.zeros((2, 5)), "text", None, np.zeros((0, 784))):
            with self.assertRaises(ValueError):
                self.model(bad)
        self.assertEqual(self.model(self.x).shape, (100, 10))


class Threads(unittest.TestCase):
    def test_threads_give_the_same_result(self):
        x, y, x_test, _ = mnist_subset(500)
        runs = []
        for threads in (1, 2):
            model = nnlab.Model("conv:4x3x3,relu,maxpool:2,linear:10", input_shape=(1, 28, 28), seed=0)
            model.fit(x, y, epochs=1, verbose=0, threads=threads)
            runs.append(model(x_test, threads=threads))
        np.testing.assert_array_equal(runs[0], runs[1])

    def test_omp_setting_is_restored(self):
        nnlab.set_num_threads(1)
        try:
            self.assertEqual(nnlab.get_num_threads(), 1)
        finally:
            nnlab.set_num_threads(0)
        with self.assertRaises(ValueError):
            nnlab.set_num_threads(-2)


class Experiments(unittest.TestCase):
    def test_optimizer_paths(self):
        paths = nnlab.experiments.optimizer_paths("bowl", 30)
        labels = [p["label"] for p in paths]
        self.assertIn("SGD", labels)
        sgd = paths[labels.index("SGD")]
        self.assertEqual(len(sgd["x"]), 31)
        self.assertEqual((sgd["x"][0], sgd["y"][0]), (-7.0, 2.0))
        self.assertLess(sgd["loss"][-1], sgd["loss"][0])

    def test_decision_boundary(self):
        study = nnlab.experiments.decision_boundary("circles", (8,), epochs=10, resolution=10)
        self.assertEqual(study["probabilities"].shape, (11, 11, 2))
        self.assertGreater(study["test_accuracy"], 0.8)


if __name__ == "__main__":
    unittest.main()
