"""Peak resident memory of a command, as the kernel counts it for the finished child (getrusage's
ru_maxrss, what `/usr/bin/time -v` prints as "Maximum resident set size").

    python3 bench/peak_memory.py NAME -- COMMAND [ARGS...]

Prints "memory=NAME peak_mb=X" (MB of 10^6 bytes); the command's own output is discarded, and a
failing command fails this script with its exit status.
"""

import resource
import subprocess
import sys


def main():
    if len(sys.argv) < 4 or sys.argv[2] != "--":
        sys.exit(__doc__)
    name, command = sys.argv[1], sys.argv[3:]
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        sys.exit(f"peak_memory.py: {' '.join(command)} failed with status {done.returncode}")
    kilobytes = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"memory={name} peak_mb={kilobytes * 1024 / 1e6:.1f}")


if __name__ == "__main__":
    main()
