"""examples/nnlab_tour.ipynb: its code cells run in order, in one namespace, as a kernel runs
them (no Jupyter needed); a cell that fails fails the test, naming it."""

import contextlib
import io
import json
import os
import unittest

SOURCE = os.environ.get("NNLAB_SOURCE", os.path.join(os.path.dirname(__file__), "../.."))
NOTEBOOK = os.path.join(SOURCE, "examples", "nnlab_tour.ipynb")


class Notebook(unittest.TestCase):
    def test_cells_run_in_order(self):
        with open(NOTEBOOK) as f:
            notebook = json.load(f)
        cells = [c for c in notebook["cells"] if c["cell_type"] == "code"]
        self.assertGreaterEqual(len(cells), 5)
        namespace = {"__name__": "__main__"}
        output = io.StringIO()
        for index, cell in enumerate(cells):
            source = "".join(cell["source"])
            with self.subTest(cell=index), contextlib.redirect_stdout(output):
                exec(compile(source, f"{NOTEBOOK} cell {index}", "exec"), namespace)
        text = output.getvalue()
        self.assertIn("Epoch 2/2", text)             # the progress display
        self.assertGreater(namespace["metrics"]["accuracy"], 0.85)
        self.assertIn("0 Conv2d", namespace["activations"])
        self.assertEqual(namespace["filters"].shape, (8, 1, 5, 5))


if __name__ == "__main__":
    unittest.main()
