#!/usr/bin/env python3
"""Runs every nnlab command that README.md and docs/*.md show, with short settings, and compares
the error lines the docs print with what the tool prints, so that the docs keep working.

    /usr/bin/python3 tests/docs/run_doc_commands.py BUILD/nnlab SOURCE_DIR [--list]

A command is a line of a fenced block that starts with `build/nnlab`, `$ build/nnlab` or
`nnlab ` and a command or flag (joined over trailing backslashes; `# comments` dropped). Each runs in one scratch
folder, in the order the docs give, with:
- short settings (not for a documented error): train runs 1 epoch (or at most 100 iterations) on at most 1,000 samples,
  search 4 trials of 2 epochs, and a run's output folder may be replaced (--overwrite);
- the files the docs assume the reader has: a run folder a command names is trained first
  (1 epoch), houses.csv / new_rows.csv / photos/ are made small, mine.csv holds the bad cell the
  docs' error example shows, and data/ is the repository's;
- `$ command` lines followed by a line starting with `nnlab: error:` must fail (exit code 2
  for bad input, 1 for a run that diverged) and print that line (a documented line cut short must be the start of the real one);
  every other command must exit 0.
Commands that need what the machine may lack (Fashion-MNIST) are skipped with a word.
"""

import glob
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

DOCS = ["README.md"] + sorted(glob.glob("docs/*.md"))


def commands_of(path):
    """(line number, text, documented error or None) of each command in the file's fenced blocks."""
    out = []
    in_block = False
    lines = open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("```"):
            in_block = not in_block
            i += 1
            continue
        stripped = line.strip()
        prompt = stripped.startswith("$ ")
        text = stripped[2:] if prompt else stripped
        if in_block and re.match(r"^(build/)?nnlab (train|eval|predict|export|gradcheck|search|experiment|--)", text):
            start = i + 1
            while text.endswith("\\") and i + 1 < len(lines):
                i += 1
                text = text[:-1].rstrip() + " " + lines[i].strip()
            documented = None
            if prompt and i + 1 < len(lines) and lines[i + 1].startswith("nnlab: error:"):
                documented = lines[i + 1]
            out.append((start, text, documented))
        i += 1
    return out


def shorten(args):
    """Short settings for the commands that train."""
    if not args:
        return args
    command = args[0]

    def set_flag(flag, value):
        if flag in args:
            args[args.index(flag) + 1] = value
        else:
            args.extend([flag, value])

    if command == "train" and "--resume" not in args and "--help" not in args:
        if "--iterations" in args:
            k = args.index("--iterations") + 1
            args[k] = str(min(int(args[k]), 100))
        else:
            set_flag("--epochs", "1")
        if "--data" not in args or args[args.index("--data") + 1] in ("mnist", "fashion-mnist"):
            set_flag("--train-size", "1000")
        args.append("--overwrite")
    if command == "search":
        set_flag("--trials", "4")
        set_flag("--epochs", "2")
    return args


def make_files(folder, source):
    os.symlink(os.path.join(source, "data"), os.path.join(folder, "data"))
    with open(os.path.join(folder, "houses.csv"), "w") as f:
        f.write("rooms,area,age,price\n")
        for k in range(200):
            rooms, area, age = 1 + k % 5, 40 + (k * 7) % 120, (k * 13) % 50
            f.write(f"{rooms},{area},{age},{50 + 20 * rooms + 1.5 * area - 0.8 * age + (k % 7)}\n")
    with open(os.path.join(folder, "mine.csv"), "w") as f:
        f.write("a,b,label\n1,2,x\n3,four,y\n")
    examples = sorted(glob.glob(os.path.join(source, "data", "examples", "*.png")))
    for c, name in enumerate(["cats", "dogs", "birds"]):
        os.makedirs(os.path.join(folder, "photos", name))
        for k, image in enumerate(examples):
            if k % 3 == c:
                shutil.copy(image, os.path.join(folder, "photos", name, os.path.basename(image)))
    with open(os.path.join(folder, "photo.gif"), "wb") as f:
        f.write(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;")


def run(nnlab, args, folder):
    return subprocess.run([nnlab] + args, cwd=folder, capture_output=True, text=True, timeout=600)


def main():
    nnlab, source = os.path.realpath(sys.argv[1]), os.path.realpath(sys.argv[2])
    os.chdir(source)
    found = [(doc, line, text, err) for doc in DOCS for line, text, err in commands_of(doc)]
    if "--list" in sys.argv:
        for doc, line, text, err in found:
            print(f"{doc}:{line}: {text}" + ("   [error expected]" if err else ""))
        return 0
    failures = 0
    with tempfile.TemporaryDirectory() as folder:
        make_files(folder, source)
        for doc, line, text, documented in found:
            where = f"{doc}:{line}"
            args = shlex.split(text, comments=True)[1:]
            if "fashion-mnist" in args and not os.path.exists("/usr/share/datasets/fashion-mnist"):
                print(f"skip {where}: {text}  (Fashion-MNIST is not installed)")
                continue
            expanded = []
            for a in args:
                expanded.extend(sorted(glob.glob(os.path.join(folder, a))) or [a] if "*" in a else [a])
            # A documented error is run as documented (it comes before any training would).
            args = expanded if documented is not None else shorten(expanded)
            # A run folder the command reads (--model runs/X/..., --resume runs/X) is trained first.
            for flag in ("--model", "--resume"):
                if flag in args:
                    value = args[args.index(flag) + 1]
                    m = re.match(r"^(runs/[^/]+)", value)
                    if m and not os.path.exists(os.path.join(folder, value)):
                        run(nnlab, ["train", "--epochs", "1", "--train-size", "1000", "--out", m.group(1),
                                    "--overwrite"], folder)
            if "new_rows.csv" in args:  # rows of the model's own table, without the target
                model = args[args.index("--model") + 1]
                run(nnlab, ["train", "--data", "houses.csv", "--target", "price", "--task", "regression",
                            "--epochs", "1", "--out", os.path.dirname(model), "--overwrite"], folder)
                with open(os.path.join(folder, "houses.csv")) as f, \
                        open(os.path.join(folder, "new_rows.csv"), "w") as g:
                    for k, row in enumerate(f):
                        if k < 6:
                            g.write(",".join(row.strip().split(",")[:3]) + "\n")
            result = run(nnlab, args, folder)
            output = result.stdout + result.stderr
            if documented is not None:
                lines = [l for l in output.split("\n") if l.startswith("nnlab: error:")]
                ok = result.returncode != 0 and any(l.startswith(documented.rstrip()) for l in lines)
                if not ok:
                    print(f"FAIL {where}: {text}\n  the docs print: {documented}\n  nnlab printed (exit "
                          f"{result.returncode}): {lines[0] if lines else output[-500:]}")
            else:
                ok = result.returncode == 0
                if not ok:
                    print(f"FAIL {where}: {' '.join(args)}\n  exit {result.returncode}: {output[-800:]}")
            if ok:
                print(f"ok   {where}: {text}")
            failures += not ok
    print(f"{len(found) - failures} of {len(found)} commands of the docs work as the docs say")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
