"""Prints bench/run.sh's comparison tables from nnlab_bench's JSON output and the result lines of
the PyTorch scripts and of bench/nnlab_loop.py.

Usage: python3 bench/table.py NNLAB_JSON [RESULTS]

NNLAB_JSON: Google Benchmark's JSON. Its benchmarks "<row>/<threads>" are rows: <network>_train_step
(one SGD step), mlp_adam_step (Adam, with the optimizer's share), <network>_infer (forward, batch
1,000), <network>_latency (forward, one image), <network>_adam_step (the step the whole loop is set
beside) and fma_peak (the FLOP/s the rows are divided by). RESULTS: lines "network=ROW threads=T
setting=S samples_per_second=X", one per run of PyTorch (setting: default, OPENBLAS_NUM_THREADS=1,
OPENBLAS_CORETYPE=..., -u_OPENBLAS_CORETYPE for an inherited one unset) or of nnlab's whole loop (setting nnlab); a row takes PyTorch's best setting.
"""

import json
import sys

LABELS = {
    "mlp": "MLP 784-100x5-10, MNIST batch 128",
    "mlp_random": "MLP 784-100x5-10, random pixels",
    "mlp_adam": "MLP, MNIST batch 100, Adam",
    "simple_cnn": "SimpleConvNet, batch 100",
    "deep_cnn": "DeepConvNet, batch 100",
    "resnet": "resnet preset, batch 100",
}
ORDER = list(LABELS)


def nnlab_rows(path):
    """{(row, threads): benchmark entry}, the best repetition of each, and {threads: FMA FLOP/s}."""
    with open(path) as f:
        report = json.load(f)
    rows, peak = {}, {}
    for bench in report["benchmarks"]:
        if bench.get("run_type") == "aggregate":
            continue
        name, _, rest = bench.get("run_name", bench["name"]).partition("/")
        threads = int(rest.split("/")[0])
        if name == "fma_peak":
            peak[threads] = max(peak.get(threads, 0.0), bench["flops"])
            continue
        key = (name, threads)
        if bench.get("items_per_second", 0) > rows.get(key, {}).get("items_per_second", 0):
            rows[key] = bench
    return rows, peak


def result_rows(path):
    """{(row, threads): {setting: samples/s}}, {memory name: peak MB}"""
    rows, memory = {}, {}
    if path is None:
        return rows, memory
    with open(path) as f:
        for line in f:
            fields = dict(item.split("=", 1) for item in line.split() if "=" in item)
            if "samples_per_second" in fields:
                key = (fields["network"], int(fields["threads"]))
                rows.setdefault(key, {})[fields.get("setting", "default")] = float(fields["samples_per_second"])
            elif "peak_mb" in fields:
                memory[fields["memory"]] = float(fields["peak_mb"])
    return rows, memory


def print_table(title, header, table):
    print(title)
    table = [header] + table
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for r, row in enumerate(table):
        print(" | ".join([row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:])]))
        if r == 0:
            print("-+-".join("-" * w for w in widths))
    print()


def network_of(row):
    """mlp_adam_step -> mlp_adam, deep_cnn_train_step -> deep_cnn, simple_cnn_infer -> simple_cnn."""
    for suffix in ("_train_step", "_step", "_infer", "_latency", "_loop"):
        if row.endswith(suffix):
            return row[: -len(suffix)]
    return row


def ordered(keys):
    def order(key):
        network = network_of(key[0])
        return (ORDER.index(network) if network in ORDER else len(ORDER), key[0], key[1])

    return sorted(keys, key=order)


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    nnlab, peak = nnlab_rows(sys.argv[1])
    results, memory = result_rows(sys.argv[2] if len(sys.argv) == 3 else None)
    notes = []

    def torch_best(row, threads):
        settings = {s: v for s, v in results.get((row, threads), {}).items() if s != "nnlab"}
        if not settings:
            return None
        notes.append(f"{row}, {threads} thread(s): " + ", ".join(f"{s} {v:,.0f}" for s, v in sorted(settings.items())))
        return max(settings.values())

    def cells(rate, best, flops, threads, one_thread_rate):
        fraction = f"{rate * flops / peak[threads]:.2f}" if flops and threads in peak else "-"
        scaling = f"{rate / one_thread_rate:.2f}" if threads > 1 and one_thread_rate else ""
        return [f"{rate:,.0f}", f"{best:,.0f}" if best else "-", f"{rate / best:.2f}" if best else "-", fraction,
                scaling]

    step = []
    for row, threads in ordered(k for k in nnlab if k[0].endswith("_train_step") or k[0] == "mlp_adam_step"):
        bench = nnlab[(row, threads)]
        network = row.replace("_train_step", "").replace("_step", "")
        one = nnlab.get((row, 1), {}).get("items_per_second")
        share = f"{bench['optimizer_share']:.2f}" if network.endswith("_adam") else ""
        step.append([LABELS.get(network, network), str(threads)] +
                    cells(bench["items_per_second"], torch_best(network, threads), bench.get("flops_per_sample"),
                          threads, one) + [share])
    print_table("Training step (forward, loss, backward, optimizer), samples/s",
                ("network", "threads", "nnlab", "PyTorch", "ratio", "peak fraction", "2 thr / 1", "optimizer share"),
                step)

    infer = []
    for row, threads in ordered(k for k in nnlab if k[0].endswith(("_infer", "_latency"))):
        bench = nnlab[(row, threads)]
        network, _, kind = row.rpartition("_")
        best = torch_best(row, threads)
        rate = bench["items_per_second"]
        if kind == "latency":  # microseconds per image
            infer.append([LABELS.get(network, network).split(",")[0] + ", one image (µs)", str(threads), f"{1e6 / rate:.1f}",
                          f"{1e6 / best:.1f}" if best else "-", f"{rate / best:.2f}" if best else "-", "-", ""])
        else:
            infer.append([LABELS.get(network, network).split(",")[0] + ", batch 1,000 (samples/s)", str(threads)] +
                         cells(rate, best, bench.get("flops_per_sample"), threads,
                               nnlab.get((row, 1), {}).get("items_per_second")))
    print_table("Inference (forward in evaluation mode)",
                ("network", "threads", "nnlab", "PyTorch", "ratio", "peak fraction", "2 thr / 1"), infer)

    loop = []
    for row, threads in ordered((k[0][: -len("_loop")], k[1]) for k in results if k[0].endswith("_loop")):
        ours = results[(row + "_loop", threads)].get("nnlab")
        if ours is None:
            continue
        best = torch_best(row + "_loop", threads)
        adam = nnlab.get((row + "_adam_step", threads), {})
        step_rate = adam.get("items_per_second")
        one = results.get((row + "_loop", 1), {}).get("nnlab")
        overhead = f"{step_rate / ours - 1:+.1%}" if step_rate else "-"
        loop.append([LABELS.get(row, row).split(",")[0], str(threads)] +
                    cells(ours, best, adam.get("flops_per_sample"), threads, one) +
                    [f"{step_rate:,.0f}" if step_rate else "-", overhead])
    print_table("Whole loop: `nnlab train` over an epoch (batch 100, Adam) against PyTorch's loop, samples/s",
                ("network", "threads", "nnlab", "PyTorch", "ratio", "peak fraction", "2 thr / 1", "nnlab step",
                 "loop cost"), loop)

    sizes = []
    for batch in (64, 100):
        ours, theirs = memory.get(f"nnlab_batch{batch}"), memory.get(f"pytorch_batch{batch}")
        if ours is None:
            continue
        sizes.append([f"DeepConvNet, batch {batch}", f"{ours:.0f}", f"{theirs:.0f}" if theirs else "-",
                      f"{ours / theirs:.2f}" if theirs else "-"])
    if sizes:
        print_table("Peak memory (MB): `nnlab train --model deep-cnn --epochs 1` against PyTorch's loop process, 1 thread",
                    ("network", "nnlab", "PyTorch", "ratio"), sizes)

    if peak:
        print("FMA peak measured (fma_peak): " + ", ".join(f"{t} thread(s) {v / 1e9:.1f} GFLOP/s" for t, v in
                                                            sorted(peak.items())))
    print("ratio = nnlab / PyTorch's best setting; peak fraction = the dense FLOPs of the products (Conv2d, Linear;")
    print("MNIST's skipped zeros count as done) per second over the measured FMA peak of the threads used; loop cost =")
    print("nnlab's Adam step rate over its whole-loop rate, minus 1. bench/README.md explains each figure.")
    if notes:
        print("\nPyTorch's settings (the tables show the best):")
        for note in notes:
            print("  " + note)


if __name__ == "__main__":
    main()
