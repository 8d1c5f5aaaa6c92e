#!/usr/bin/env python3
"""Writes the nnlab columns of docs/experiments.md's optimizers-mnist and init-mnist tables, its
SimpleConvNet table and the paragraph under it, and README.md's table of the bundled tables' test
results, from fresh runs, so that the numbers the docs give are the ones the commands print on this
machine.

    python3 scripts/make_doc_tables.py [BUILD/nnlab] [--check] [--no-simple-cnn]

Runs `nnlab experiment optimizers-mnist` and `init-mnist` with --threads 1 (a run is the same to
the bit every time with the same thread count; other CPUs round some sums differently, and the
chaotic RMSProp run shows it most), reads their *_summary.csv and rewrites the table rows in
place; the textbook's columns stay. README's table: `nnlab train --data NAME --threads 1 --seed S`
for seeds 0, 1 and 2, the test accuracy (R² for a regression). The SimpleConvNet table:
`nnlab train --model simple-cnn --threads 1 --seed S` and each row's flags (SIMPLE_CNN_ROWS), 15 runs of
20 epochs (about 8 minutes); the paragraph between the `simple-cnn-findings` markers is written from them. With --check it changes nothing and exits 1 when a number in
the docs differs from the run's.
"""

import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import textwrap

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOC = os.path.join(ROOT, "docs", "experiments.md")
README = os.path.join(ROOT, "README.md")


def loss_text(value):
    """0.170, 0.066, 0.0024, 0.00024: three decimals, or two significant digits below 0.1."""
    return f"{value:.3f}" if value >= 0.1 else f"{value:.2g}"


def summary(nnlab, experiment, folder):
    out = os.path.join(folder, experiment)
    subprocess.run([nnlab, "experiment", experiment, "--threads", "1", "--out", out], check=True,
                   stdout=subprocess.DEVNULL)
    name = experiment.replace("-", "_")
    with open(os.path.join(out, f"{name}_summary.csv")) as f:
        return {row["run"]: row for row in csv.DictReader(f)}


def rewrite(lines, heading, runs, label_to_run, cells):
    """Rows of the first table under `heading`: columns 1 and 2 from the run the label names."""
    start = lines.index(heading)
    changed = []
    for i in range(start + 1, len(lines)):
        line = lines[i]
        if line.startswith("## "):
            break
        if not line.startswith("| ") or line.startswith("|---"):
            continue
        columns = [c.strip() for c in line.strip().strip("|").split("|")]
        run = label_to_run(columns[0])
        if run not in runs:
            continue
        new = cells(runs[run])
        if columns[1:3] != new:
            changed.append(f"{heading[3:]} {columns[0]}: {' / '.join(columns[1:3])} -> {' / '.join(new)}")
            columns[1:3] = new
            lines[i] = "| " + " | ".join(columns) + " |"
    return changed


def table_results(nnlab, name, folder):
    """The test results of `nnlab train --data NAME` for seeds 0, 1, 2: ("accuracy" or "R²", values)."""
    values, metric = [], "accuracy"
    for seed in (0, 1, 2):
        out = os.path.join(folder, f"{name}-{seed}")
        subprocess.run([nnlab, "train", "--data", name, "--threads", "1", "--seed", str(seed), "--out", out,
                        "--progress", "quiet"], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        with open(os.path.join(out, "history.json")) as f:
            test = json.load(f)["test"]
        metric = "R²" if "r2" in test else "accuracy"
        values.append(test["r2"] if "r2" in test else test["accuracy"])
    return metric, values


# docs/experiments.md's SimpleConvNet rows: the label's first words, and the flags of its runs.
SIMPLE_CNN_ROWS = {
    "defaults (`--augment auto`": [],
    "defaults with `--augment none`": ["--augment", "none"],
    "`--augment none --lr 0.003`": ["--augment", "none", "--lr", "0.003"],
    "`--augment none --batch-size 32`": ["--augment", "none", "--batch-size", "32"],
    "`--augment none --batch-size 100 --schedule constant`": ["--augment", "none", "--batch-size", "100", "--schedule",
                                                              "constant"],
}
FINDINGS_BEGIN = "<!-- simple-cnn-findings: written by scripts/make_doc_tables.py -->"
FINDINGS_END = "<!-- /simple-cnn-findings -->"


def simple_cnn_histories(nnlab, folder):
    """{(row label, seed): history.json} of every run of the SimpleConvNet table."""
    histories = {}
    for label, flags in SIMPLE_CNN_ROWS.items():
        for seed in (0, 1, 2):
            out = os.path.join(folder, f"simple-cnn-{len(histories)}")
            subprocess.run([nnlab, "train", "--model", "simple-cnn", "--threads", "1", "--seed", str(seed), "--out", out,
                            "--progress", "quiet"] + flags, check=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
            with open(os.path.join(out, "history.json")) as f:
                histories[(label, seed)] = json.load(f)
    return histories


def simple_cnn_findings(histories):
    """The paragraph under the table: what augmentation changes, in the runs' own figures."""
    plain = [histories[("defaults with `--augment none`", s)] for s in (0, 1, 2)]
    shifted = [histories[("defaults (`--augment auto`", s)] for s in (0, 1, 2)]
    epochs = plain[0]["epochs"]
    full = next((e["epoch"] for e in epochs if e["train_accuracy"] >= 1.0), None)
    best = min(epochs, key=lambda e: e["val_loss"])
    loss_range = lambda runs: f"{min(h['test']['loss'] for h in runs):.3f}–{max(h['test']['loss'] for h in runs):.3f}"
    gains = [100 * (a["test"]["accuracy"] - b["test"]["accuracy"]) for a, b in zip(shifted, plain)]
    fits = (f"reaches 100% training accuracy by epoch {full}" if full else
            f"reaches {100 * max(e['train_accuracy'] for e in epochs):.2f}% training accuracy")
    return (f"Without augmentation the network {fits} (seed 0) and its validation loss is lowest, "
            f"{best['val_loss']:.3f}, at epoch {best['epoch']} of {len(epochs)}; tuning the rate or the batch moves the "
            f"test accuracy by noise-sized steps. Shifted copies are new training examples of the kind the test digits "
            f"differ by: the test loss goes from {loss_range(plain)} to {loss_range(shifted)} and the accuracy moves by "
            f"{min(gains):+.2f} to {max(gains):+.2f} points over the three seeds.")


def rewrite_simple_cnn(lines, histories):
    """The SimpleConvNet table's seed columns and the findings paragraph, from the runs."""
    changed = []
    start = lines.index("## SimpleConvNet, and data augmentation")
    for i in range(start + 1, len(lines)):
        if lines[i].startswith("## "):
            break
        columns = [c.strip() for c in lines[i].strip().strip("|").split("|")]
        label = next((l for l in SIMPLE_CNN_ROWS if columns[0].startswith(l)), None)
        if not lines[i].startswith("| ") or label is None:
            continue
        bold = columns[1].startswith("**")
        accuracies = [histories[(label, s)]["test"]["accuracy"] for s in (0, 1, 2)]
        new = [f"**{a:.4f}**" if bold else f"{a:.4f}" for a in accuracies]
        if columns[1:4] != new:
            changed.append(f"simple-cnn {columns[0]}: {' / '.join(columns[1:4])} -> {' / '.join(new)}")
            columns[1:4] = new
            lines[i] = "| " + " | ".join(columns) + " |"
    begin, end = lines.index(FINDINGS_BEGIN), lines.index(FINDINGS_END)
    paragraph = simple_cnn_findings(histories)
    if " ".join(lines[begin + 1:end]) != paragraph:
        changed.append(f"simple-cnn findings -> {paragraph}")
        lines[begin + 1:end] = textwrap.wrap(paragraph, 118)
    return changed


def rewrite_readme_tables(nnlab, folder):
    """README's rows `| `iris` | ... | accuracy a / b / c |` (a parenthesised note after them stays)."""
    lines = open(README, encoding="utf-8").read().split("\n")
    changed = []
    for i, line in enumerate(lines):
        m = re.match(r"^\| `([a-z-]+)`( \(8×8\))? \|", line)
        if not m or "seeds 0 / 1 / 2" in line:
            continue
        columns = [c.strip() for c in line.strip().strip("|").split("|")]
        if not re.match(r"^(accuracy|R²) ", columns[-1]):
            continue
        metric, values = table_results(nnlab, m.group(1), folder)
        note = columns[-1][columns[-1].index(" (") :] if " (" in columns[-1] else ""
        new = f"{metric} " + " / ".join(f"{v:.4f}" for v in values) + note
        if new != columns[-1]:
            changed.append(f"README {m.group(1)}: {columns[-1]} -> {new}")
            columns[-1] = new
            lines[i] = "| " + " | ".join(columns) + " |"
    return lines, changed


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    nnlab = os.path.realpath(args[0] if args else os.path.join(ROOT, "build", "nnlab"))
    check = "--check" in sys.argv
    lines = open(DOC, encoding="utf-8").read().split("\n")
    with tempfile.TemporaryDirectory() as folder:
        optimizers = summary(nnlab, "optimizers-mnist", folder)
        inits = summary(nnlab, "init-mnist", folder)
    changed = rewrite(lines, "## optimizers-mnist", optimizers, lambda label: label.split()[0],
                      lambda r: [loss_text(float(r["final_loss"])), f"{float(r['test_accuracy']):.4f}"])

    def init_cells(r):
        loss = f"{float(r['final_loss']):.3f}"
        if float(r["test_accuracy"]) < 0.2:
            loss += " (does not learn)"
        return [loss, f"{float(r['test_accuracy']):.4f}"]

    changed += rewrite(lines, "## init-mnist", inits, lambda label: label, init_cells)
    if "--no-simple-cnn" not in sys.argv:
        with tempfile.TemporaryDirectory() as folder:
            changed += rewrite_simple_cnn(lines, simple_cnn_histories(nnlab, folder))
    with tempfile.TemporaryDirectory() as folder:
        readme, readme_changed = rewrite_readme_tables(nnlab, folder)
    for c in changed + readme_changed:
        print(c)
    if check:
        return 1 if changed or readme_changed else 0
    with open(DOC, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    with open(README, "w", encoding="utf-8") as f:
        f.write("\n".join(readme))
    print(f"docs/experiments.md: {len(changed)} rows rewritten; README.md: {len(readme_changed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
