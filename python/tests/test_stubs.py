"""Every public name of the package and of the extension (and of their classes) is in the type stubs."""

import ast
import os
import unittest

import nnlab
from nnlab import _nnlab

HERE = os.path.dirname(nnlab.__file__)


def stub_names(filename):
    """Top-level names, and class → member names, declared in a .pyi file."""
    with open(os.path.join(HERE, filename)) as f:
        tree = ast.parse(f.read())
    top, members = set(), {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            top.add(node.name)
        elif isinstance(node, ast.AnnAssign):
            top.add(node.target.id)
        elif isinstance(node, ast.Assign):
            top.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.ImportFrom):
            top.update(a.asname or a.name for a in node.names)
        if isinstance(node, ast.ClassDef):
            names = set()
            for item in node.body:
                if isinstance(item, ast.FunctionDef):
                    names.add(item.name)
                elif isinstance(item, ast.AnnAssign):
                    names.add(item.target.id)
            members[node.name] = names
    return top, members


def public(obj):
    return {n for n in dir(obj) if not n.startswith("_")}


class Stubs(unittest.TestCase):
    def check(self, module, filename, inherited=()):
        top, members = stub_names(filename)
        names = set(getattr(module, "__all__", None) or public(module))
        names -= {"annotations"}
        self.assertEqual(sorted(n for n in names if n not in top), [], f"missing from {filename}")
        for name, declared in members.items():
            obj = getattr(module, name, None)
            if not isinstance(obj, type):
                continue
            own = {n for n in public(obj) if not any(hasattr(base, n) for base in inherited if base is not obj)}
            # Members a stub class inherits from a stubbed base count as declared.
            for base in obj.__mro__[1:]:
                own -= set(members.get(base.__name__, set()))
                if base.__module__ == "builtins":
                    own -= public(base)
            self.assertEqual(sorted(own - declared), [], f"{filename}: {name} lacks")

    def test_package(self):
        self.check(nnlab, "__init__.pyi", inherited=(_nnlab.TrainConfig, _nnlab.Model))

    def test_extension(self):
        self.check(_nnlab, "_nnlab.pyi")

    def test_submodules(self):
        self.check(nnlab.datasets, "datasets.pyi")
        self.check(nnlab.experiments, "experiments.pyi")


if __name__ == "__main__":
    unittest.main()
