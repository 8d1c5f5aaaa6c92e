#!/usr/bin/env python3
"""Writes the nnlab columns of docs/experiments.md's optimizers-mnist and init-mnist tables, and
README.md's table of the bundled tables' test results, from fresh runs, so that the numbers the
docs give are the ones the commands print on this machine.

    python3 scripts/make_doc_tables.py [BUILD/nnlab] [--check]

Runs `nnlab experiment optimizers-mnist` and `init-mnist` with --threads 1 (a run is the same to
the bit every time with the same thread count; other CPUs round some sums differently, and the
chaotic RMSProp run shows it most), reads their *_summary.csv and rewrites the table rows in
place; the textbook's columns stay. README's table: `nnlab train --data NAME --threads 1 --seed S`
for seeds 0, 1 and 2, the test accuracy (R² for a regression). With --check it changes nothing and exits 1 when a number in
the docs differs from the run's.
"""

import csv
import json
import os
import re
import subprocess
import sys
import tempfile

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
