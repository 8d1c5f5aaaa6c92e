"""Training steps from the same weights equals PyTorch's (float32), for an MLP and a small
conv net, with SGD and with momentum. Skipped, saying why, where python3-torch is missing."""

import unittest

import numpy as np

import nnlab

try:
    import torch
except ImportError as error:  # python3-torch is optional (scripts/install-deps.sh --bench)
    torch = None
    REASON = f"PyTorch is not installed ({error}): sudo apt-get install python3-torch"
    print("test_torch: skipped:", REASON)


def torch_model(spec):
    nn = torch.nn
    if spec.startswith("linear"):
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 32), nn.ReLU(), nn.Linear(32, 10))
    return nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(4 * 14 * 14, 10))


CASES = [("linear:32,relu,linear:10", ("1.weight", "1.bias", "3.weight", "3.bias")),
         ("conv:4x3x3:pad=1,relu,maxpool:2,linear:10", ("0.weight", "0.bias", "4.weight", "4.bias"))]


@unittest.skipIf(torch is None, "PyTorch is not installed" if torch is None else "")
class OneStepAsPyTorch(unittest.TestCase):
    def setUp(self):
        torch.set_num_threads(1)
        (x, y), _ = nnlab.datasets.mnist()
        self.x, self.y = x[:32], y[:32]

    def step(self, spec, torch_names, optimizer, steps=1):
        model = nnlab.Model(spec, input_shape=(1, 28, 28), seed=1)
        reference = torch_model(spec)
        ours = list(model.parameters().items())
        with torch.no_grad():
            for (name, value), torch_name in zip(ours, torch_names):
                reference.state_dict()[torch_name].copy_(torch.from_numpy(value.copy()))
        # One full batch: the step's gradient is the mean over the same 32 samples.
        history = model.fit(self.x, self.y, iterations=steps, batch_size=32, optimizer=optimizer, lr=0.1,
                            schedule="constant", augment="none", validation_split=0, verbose=0, threads=1)
        if optimizer == "sgd":
            opt = torch.optim.SGD(reference.parameters(), lr=0.1)
        else:
            opt = torch.optim.SGD(reference.parameters(), lr=0.1, momentum=0.9)
        losses = []
        for _ in range(steps):
            loss = torch.nn.functional.cross_entropy(reference(torch.from_numpy(self.x)), torch.from_numpy(self.y))
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(loss.item())
        np.testing.assert_allclose(history.step_loss, losses, atol=1e-5)
        worst = 0.0
        for (name, value), torch_name in zip(model.parameters().items(), torch_names):
            expected = reference.state_dict()[torch_name].numpy()
            np.testing.assert_allclose(value, expected, atol=1e-5, rtol=1e-5, err_msg=name)
            worst = max(worst, float(np.abs(value - expected).max()))
        print(f"\n  {spec} {optimizer} ({steps} steps): last loss {history.step_loss[-1]:.7f} (PyTorch {losses[-1]:.7f}), "
              f"largest weight difference after the step {worst:.2e}")

    def test_mlp_sgd(self):
        self.step(*CASES[0], "sgd")

    def test_conv_sgd(self):
        self.step(*CASES[1], "sgd")

    def test_conv_momentum(self):
        self.step(*CASES[1], "momentum", steps=2)  # the second step uses the velocity


if __name__ == "__main__":
    unittest.main()
