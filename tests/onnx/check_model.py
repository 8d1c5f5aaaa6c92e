"""ONNX's checker (Debian's python3-onnx) on an exported file, for tests/export.

    /usr/bin/python3 check_model.py MODEL.onnx

Prints the opset, IR version and node count, and exits 1 with the checker's message when it
refuses the file. full_check also runs ONNX's shape inference over the graph.
"""
import sys

import onnx


def main() -> int:
    path = sys.argv[1]
    model = onnx.load(path)
    try:
        onnx.checker.check_model(model, full_check=True)
    except onnx.checker.ValidationError as error:
        print(f"check_model.py: {path}: {error}", file=sys.stderr)
        return 1
    opsets = ",".join(f"{o.domain or 'ai.onnx'}:{o.version}" for o in model.opset_import)
    print(f"ok {path}: ir_version {model.ir_version}, opset {opsets}, {len(model.graph.node)} nodes, "
          f"onnx {onnx.__version__}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
