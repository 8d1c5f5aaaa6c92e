#!/usr/bin/env bash
# Times training steps in nnlab and in PyTorch and prints them side by side.
# Usage: bench/run.sh BUILD_DIR      (`make bench` runs it; bench/README.md explains the figures)
#
# Writes BUILD_DIR/bench/nnlab.json (Google Benchmark's JSON) and BUILD_DIR/bench/pytorch.txt.
# Each network in NETWORKS needs a benchmark named <network>_train_step in nnlab_bench and
# a PyTorch command (script and arguments, in PYTORCH) printing
# "network=<network> threads=... samples_per_second=...".
set -euo pipefail

build=${1:?usage: bench/run.sh BUILD_DIR}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
NETWORKS=(mlp mlp_random simple_cnn)
declare -A PYTORCH=(
  [mlp]="pytorch_mlp.py --data mnist"
  [mlp_random]="pytorch_mlp.py --data random"
  [simple_cnn]="pytorch_simple_cnn.py"
)
THREADS=(1 2)
# Debian's python3-torch lives in the system Python, which may not be the python3 on PATH.
python=/usr/bin/python3

bench_binary="$build/nnlab_bench"
if [[ ! -x "$bench_binary" ]]; then
  echo "bench/run.sh: $bench_binary not found: build first (make build BUILD=$build)" >&2
  exit 1
fi
out="$build/bench"
mkdir -p "$out"

read -r load _ </proc/loadavg
echo "Machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, load average $load"
if awk -v l="$load" 'BEGIN { exit !(l > 1.0) }'; then
  echo "Warning: the machine is busy (load $load). Other processes take cores from the timed runs, and"
  echo "multithreaded runs suffer most (OpenMP threads spin at every barrier): figures will be low and noisy."
fi
echo

echo "== nnlab (Google Benchmark; best of 3 repetitions goes to the table)"
"$bench_binary" --benchmark_format=console --benchmark_repetitions=3 \
  --benchmark_out="$out/nnlab.json" --benchmark_out_format=json
echo

torch_results="$out/pytorch.txt"
: >"$torch_results"
if "$python" -c "import torch" 2>/dev/null; then
  echo "== PyTorch $("$python" -c 'import torch; print(torch.__version__)') (best of 3 runs of 2 s each)"
  for network in "${NETWORKS[@]}"; do
    for threads in "${THREADS[@]}"; do
      # Default: PyTorch's OpenMP threads, and OpenBLAS free to start its own. Tuned:
      # OpenBLAS single-threaded, so that only PyTorch's threads run (DESIGN.md).
      for setting in default OPENBLAS_NUM_THREADS=1; do
        read -r script script_args <<<"${PYTORCH[$network]}"
        # shellcheck disable=SC2086 # script_args is a list of words
        if [[ $setting == default ]]; then
          line=$("$python" "$here/$script" $script_args --threads "$threads")
        else
          line=$(env "$setting" "$python" "$here/$script" $script_args --threads "$threads")
        fi
        echo "$line setting=$setting" | tee -a "$torch_results"
      done
    done
  done
else
  echo "PyTorch is not installed ($python cannot import torch): nnlab's numbers only."
  torch_results=""
fi
echo

if [[ ! -x "$python" ]]; then
  echo "No $python to print the table: nnlab's figures are above and in $out/nnlab.json."
  exit 0
fi
"$python" "$here/table.py" "$out/nnlab.json" $torch_results
