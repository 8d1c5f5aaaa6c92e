#!/usr/bin/env python3
"""Runs every nnlab command that README.md and docs/*.md show, with short settings, and compares
what the docs print (errors and output) with what the tool prints, so that the docs keep working.

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
  every other command must exit 0;
- `$ command` lines followed by other lines (up to the next `$ ` or the block's end) show its output: the
  command runs as documented (with --overwrite), and each run of shown lines between `...` lines must appear in
  its output in order, the first one at its top unless a `...` leads. A shown line matches a printed one when their
  text between numbers is the same (runs of spaces count as one) and each number agrees: a count exactly, a
  figure within RELATIVE, a rounding error in e-notation (below 1e-6) at most ten times the docs', a duration
  in seconds in any case. A shown line starting `^C` is the reader's Ctrl-C: the command gets SIGINT once its
  first epoch is printed, must exit 130, and only the text of its lines (and of its --resume) is compared;
Commands that need what the machine may lack (Fashion-MNIST) are skipped with a word.
"""

import glob
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile



def docs():
    """README.md and docs/*.md, from the source folder (the current one)."""
    return ["README.md"] + sorted(glob.glob("docs/*.md"))

# A figure the docs show (an accuracy, a loss, a probability) may differ from the run's by this share of
# max(1, |figure|): the docs' runs were made on one CPU, and another one's kernels round differently.
RELATIVE = 0.01


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
            shown = []  # the output a `$ command` shows: the lines up to the next command or the block's end
            while prompt and documented is None and i + 1 < len(lines) and not lines[i + 1].startswith(("$ ", "```")):
                i += 1
                shown.append(lines[i])
            out.append((start, text, documented, shown))
        i += 1
    return out


NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?")


def parts(line):
    """The line's text between numbers (runs of spaces made one) and its numbers, as written."""
    numbers = NUMBER.findall(line)
    texts = [" ".join(t.split()) for t in NUMBER.split(line)]
    return texts, numbers


def same_number(documented, real, after, masked):
    """Whether a number nnlab printed agrees with the one the docs show (see the module's rules)."""
    if masked or re.match(r"^\s*s\b", after):  # an interrupted run's step; a duration in seconds
        return True
    a, b = float(documented), float(real)
    if "e" in documented and abs(a) < 1e-6:  # a rounding error (gradcheck): at most ten times the docs'
        return abs(b) <= 10 * abs(a)
    if "." not in documented and "e" not in documented:  # a count or a name's digits: exactly
        return documented == real
    return abs(a - b) <= RELATIVE * max(1.0, abs(a))


def same_line(documented, real, masked):
    (dt, dn), (rt, rn) = parts(documented), parts(real)
    return dt == rt and len(dn) == len(rn) and all(
        same_number(d, r, dt[k + 1], masked) for k, (d, r) in enumerate(zip(dn, rn)))


def shown_mismatch(shown, output, masked):
    """None if nnlab's output holds the lines the docs show (each run of lines between `...` found in
    order, the first at the top unless `...` leads); else the first shown line not found."""
    real = [l for l in re.split(r"[\r\n]", output) if l.strip()]
    segments, current, anchored = [], [], True
    for k, line in enumerate(shown):
        line = line[2:] if line.startswith("^C") else line
        if line.strip() == "...":
            if k == 0:
                anchored = False
            if current:
                segments.append(current)
            current = []
        elif line.strip():
            current.append(line)
    if current:
        segments.append(current)
    at = 0
    for n, segment in enumerate(segments):
        starts = [at] if n == 0 and anchored else range(at, len(real) - len(segment) + 1)
        found = next((s for s in starts if s + len(segment) <= len(real) and all(
            same_line(d, real[s + j], masked) for j, d in enumerate(segment))), None)
        if found is None:
            best = next((d for j, d in enumerate(segment) if not any(same_line(d, r, masked) for r in real[at:])),
                        segment[0])
            return best
        at = found + len(segment)
    return None


def shorten(args, full=False):
    """Short settings for the commands that train (with full, only --overwrite: a run the docs show)."""
    if not args:
        return args
    command = args[0]

    def set_flag(flag, value):
        if flag in args:
            args[args.index(flag) + 1] = value
        else:
            args.extend([flag, value])

    if command == "train" and "--resume" not in args and "--help" not in args:
        args.append("--overwrite")
        if full:
            return args
        if "--iterations" in args:
            k = args.index("--iterations") + 1
            args[k] = str(min(int(args[k]), 100))
        else:
            set_flag("--epochs", "1")
        if "--data" not in args or args[args.index("--data") + 1] in ("mnist", "fashion-mnist"):
            set_flag("--train-size", "1000")
    if command == "search" and not full:
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


def run(nnlab, args, folder, press_ctrl_c=False):
    """Runs nnlab; with press_ctrl_c, sends SIGINT (Ctrl-C) once the first epoch's line is printed."""
    if not press_ctrl_c:
        return subprocess.run([nnlab] + args, cwd=folder, capture_output=True, text=True, timeout=600)
    process = subprocess.Popen([nnlab] + args, cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = []
    for line in process.stdout:
        output.append(line)
        if line.startswith("epoch"):
            process.send_signal(signal.SIGINT)
            break
    output.append(process.communicate(timeout=600)[0])
    return subprocess.CompletedProcess(process.args, process.returncode, "".join(output), "")


def main():
    nnlab, source = os.path.realpath(sys.argv[1]), os.path.realpath(sys.argv[2])
    os.chdir(source)
    found = [(doc, *command) for doc in docs() for command in commands_of(doc)]
    if "--list" in sys.argv:
        for doc, line, text, err, shown in found:
            print(f"{doc}:{line}: {text}" + ("   [error expected]" if err else "") +
                  (f"   [{len(shown)} lines of output shown]" if shown else ""))
        return 0
    failures = 0
    with tempfile.TemporaryDirectory() as folder:
        make_files(folder, source)
        interrupted = set()  # the run folders of runs the docs stop with Ctrl-C
        for doc, line, text, documented, shown in found:
            where = f"{doc}:{line}"
            args = shlex.split(text, comments=True)[1:]
            if "fashion-mnist" in args and not os.path.exists("/usr/share/datasets/fashion-mnist"):
                print(f"skip {where}: {text}  (Fashion-MNIST is not installed)")
                continue
            expanded = []
            for a in args:
                expanded.extend(sorted(glob.glob(os.path.join(folder, a))) or [a] if "*" in a else [a])
            # A documented error or output is run as documented (an error comes before any training would).
            args = expanded if documented is not None else shorten(expanded, full=bool(shown))
            presses_ctrl_c = any(l.startswith("^C") for l in shown)
            # The figures of a run the docs interrupt, and of its resumption up to where the docs pick it up
            # again, depend on the moment of the Ctrl-C: only their text is compared.
            masked = presses_ctrl_c or ("--resume" in args and args[args.index("--resume") + 1] in interrupted)
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
            result = run(nnlab, args, folder, presses_ctrl_c)
            output = result.stdout + result.stderr
            if presses_ctrl_c and "--out" in args:
                interrupted.add(args[args.index("--out") + 1])
            if documented is not None:
                lines = [l for l in output.split("\n") if l.startswith("nnlab: error:")]
                ok = result.returncode != 0 and any(l.startswith(documented.rstrip()) for l in lines)
                if not ok:
                    print(f"FAIL {where}: {text}\n  the docs print: {documented}\n  nnlab printed (exit "
                          f"{result.returncode}): {lines[0] if lines else output[-500:]}")
            else:
                ok = result.returncode == (130 if presses_ctrl_c else 0)
                if not ok:
                    print(f"FAIL {where}: {' '.join(args)}\n  exit {result.returncode}: {output[-800:]}")
                missing = shown_mismatch(shown, output, masked) if ok else None
                if missing is not None:
                    ok = False
                    print(f"FAIL {where}: {text}\n  the docs show: {missing.strip()}\n  nnlab printed:\n    " +
                          "\n    ".join(l for l in output.split("\n")[:40]))
            if ok:
                print(f"ok   {where}: {text}")
            failures += not ok
    print(f"{len(found) - failures} of {len(found)} commands of the docs work as the docs say")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
