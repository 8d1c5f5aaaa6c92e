"""Prints bench/run.sh's comparison table from nnlab_bench's JSON output and the
PyTorch scripts' result lines.

Usage: python3 bench/table.py NNLAB_JSON [PYTORCH_RESULTS]

NNLAB_JSON: Google Benchmark's JSON; every benchmark named "<network>_train_step/<threads>"
is a row. PYTORCH_RESULTS: lines "network=N threads=T setting=S samples_per_second=X",
one per PyTorch run; a row takes PyTorch's best setting. A new network needs only its
benchmark, its PyTorch script (bench/run.sh) and a label below.
"""

import json
import sys

LABELS = {
    "mlp": "MLP 784-100x5-10, MNIST batch",
    "mlp_random": "MLP 784-100x5-10, random pixels",
    "simple_cnn": "SimpleConvNet, MNIST batch",
}
ORDER = list(LABELS)


def nnlab_rows(path):
    """{(network, threads): (samples/s, peak fraction)}, the best repetition of each."""
    with open(path) as f:
        report = json.load(f)
    rows = {}
    for bench in report["benchmarks"]:
        if bench.get("run_type") == "aggregate":
            continue
        name = bench.get("run_name", bench["name"])
        head, _, rest = name.partition("_train_step/")
        if not rest:
            continue
        threads = int(rest.split("/")[0])
        entry = (bench["items_per_second"], bench.get("peak_fraction", float("nan")))
        if entry[0] > rows.get((head, threads), (0.0, 0.0))[0]:
            rows[(head, threads)] = entry
    return rows


def pytorch_rows(path):
    """{(network, threads): {setting: samples/s}}"""
    rows = {}
    if path is None:
        return rows
    with open(path) as f:
        for line in f:
            fields = dict(item.split("=", 1) for item in line.split() if "=" in item)
            if "samples_per_second" not in fields:
                continue
            key = (fields["network"], int(fields["threads"]))
            rows.setdefault(key, {})[fields.get("setting", "default")] = float(fields["samples_per_second"])
    return rows


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    nnlab = nnlab_rows(sys.argv[1])
    torch = pytorch_rows(sys.argv[2] if len(sys.argv) == 3 else None)

    header = ("network", "threads", "nnlab samples/s", "PyTorch samples/s", "ratio", "nnlab SGEMM-peak fraction")
    table = [header]
    notes = []
    for network, threads in sorted(nnlab, key=lambda k: (ORDER.index(k[0]) if k[0] in ORDER else len(ORDER), k)):
        samples, fraction = nnlab[(network, threads)]
        settings = torch.get((network, threads), {})
        if settings:
            best_setting = max(settings, key=settings.get)
            best = settings[best_setting]
            torch_cell = f"{best:,.0f}"
            ratio_cell = f"{samples / best:.2f}"
            detail = ", ".join(f"{s} {v:,.0f}" for s, v in sorted(settings.items()))
            notes.append(f"PyTorch {network}, {threads} thread(s): {detail}")
        else:
            torch_cell, ratio_cell = "-", "-"
        label = LABELS.get(network, network)
        table.append((label, str(threads), f"{samples:,.0f}", torch_cell, ratio_cell, f"{fraction:.2f}"))

    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for r, row in enumerate(table):
        cells = [row[0].ljust(widths[0])] + [cell.rjust(w) for cell, w in zip(row[1:], widths[1:])]
        print(" | ".join(cells))
        if r == 0:
            print("-+-".join("-" * w for w in widths))
    if notes:
        print()
        print("PyTorch's settings (the table shows the better): default = its own threads and OpenBLAS's;")
        print("OPENBLAS_NUM_THREADS=1 = OpenBLAS kept single-threaded inside PyTorch's threads.")
        for note in notes:
            print("  " + note)
    print()
    print("ratio = nnlab / PyTorch. SGEMM-peak fraction = the step's FLOPs per second over 158 GFLOP/s")
    print("per core (DESIGN.md's OpenBLAS 2048^3 figure); see bench/README.md.")


if __name__ == "__main__":
    main()
