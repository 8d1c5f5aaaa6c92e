#!/usr/bin/env bash
# Times training steps, inference and the whole training loop in nnlab and in PyTorch and prints
# them side by side. Usage: bench/run.sh BUILD_DIR   (`make bench` runs it; bench/README.md explains)
#
# Writes BUILD_DIR/bench/nnlab.json (Google Benchmark's JSON) and BUILD_DIR/bench/results.txt (one
# line per PyTorch run and per whole-loop run: "network=ROW threads=T samples_per_second=X setting=S").
set -euo pipefail

build=${1:?usage: bench/run.sh BUILD_DIR}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# PyTorch's side of each row of nnlab_bench: script and arguments (bench/pytorch_*.py).
PYTORCH=(
  "pytorch_step.py --network mlp" "pytorch_step.py --network mlp_random" "pytorch_step.py --network mlp --adam"
  "pytorch_step.py --network simple_cnn" "pytorch_step.py --network deep_cnn" "pytorch_step.py --network resnet"
  "pytorch_infer.py --network mlp --batch 1000 --seconds 1" "pytorch_infer.py --network simple_cnn --batch 1000 --seconds 1"
  "pytorch_infer.py --network mlp --batch 1 --seconds 1" "pytorch_infer.py --network simple_cnn --batch 1 --seconds 1"
)
# The whole-loop rows: network and the training images its epochs take.
LOOPS=("mlp 8000" "simple_cnn 8000" "deep_cnn 2000" "resnet 2000")
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

echo "== $("$build/nnlab" --version | head -1)"
"$build/nnlab" --version | tail -n +2
echo "== nnlab_bench (Google Benchmark; best of 3 repetitions goes to the tables)"
"$bench_binary" --benchmark_format=console --benchmark_repetitions=3 \
  --benchmark_out="$out/nnlab.json" --benchmark_out_format=json
echo

results="$out/results.txt"
: >"$results"
echo "== nnlab train, the whole loop (bench/nnlab_loop.py)"
for loop in "${LOOPS[@]}"; do
  read -r network size <<<"$loop"
  for threads in "${THREADS[@]}"; do
    line=$("$python" "$here/nnlab_loop.py" "$build/nnlab" --network "$network" --train-size "$size" --threads "$threads")
    echo "$line setting=nnlab" | tee -a "$results"
  done
done
echo

# PyTorch's settings: its default (its OpenMP threads, OpenBLAS free to start its own), OpenBLAS
# single-threaded inside PyTorch's threads, and where OpenBLAS runs a generic core on a CPU it does
# not know (Debian's 0.3.21 on current Xeons: Prescott, SSE3), the CPU's family forced.
# An OPENBLAS_CORETYPE inherited from the environment may name a core below the CPU's (a
# machine set up with Haswell for an AVX-512 CPU): PyTorch then also runs without it, with
# OpenBLAS's own choice, alone and with OPENBLAS_NUM_THREADS=1. A setting is a list of env(1)
# arguments.
settings=(default OPENBLAS_NUM_THREADS=1)
if [[ -n ${OPENBLAS_CORETYPE:-} ]]; then
  settings+=("-u OPENBLAS_CORETYPE" "-u OPENBLAS_CORETYPE OPENBLAS_NUM_THREADS=1")
  echo "OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE comes from the environment: PyTorch also runs without it"
fi
core=$(env -u OPENBLAS_CORETYPE "$build/nnlab" --version | sed -n 's/.*OpenBLAS kernels: \([A-Za-z0-9]*\).*/\1/p')
if [[ $core == Prescott || $core == Core2 || $core == Nehalem || $core == Katmai || $core == generic ]]; then
  if grep -q avx512f /proc/cpuinfo; then family=SkylakeX; else family=Haswell; fi
  settings+=("OPENBLAS_CORETYPE=$family")
  echo "OpenBLAS reports the generic core $core here: PyTorch also runs with OPENBLAS_CORETYPE=$family"
fi
if "$python" -c "import torch" 2>/dev/null; then
  echo "== PyTorch $("$python" -c 'import torch; print(torch.__version__)') (best of 3 runs each; settings: ${settings[*]})"
  runs=("${PYTORCH[@]}")
  for loop in "${LOOPS[@]}"; do
    read -r network size <<<"$loop"
    runs+=("pytorch_loop.py --network $network --train-size $size")
  done
  for run in "${runs[@]}"; do
    read -r script script_args <<<"$run"
    for threads in "${THREADS[@]}"; do
      for setting in "${settings[@]}"; do
        environment=()
        [[ $setting == default ]] || read -r -a environment <<<"$setting"
        # shellcheck disable=SC2086 # script_args is a list of words
        line=$(env "${environment[@]}" "$python" "$here/$script" $script_args --threads "$threads")
        echo "$line setting=${setting// /_}" | tee -a "$results"
      done
    done
  done
else
  echo "PyTorch is not installed ($python cannot import torch): nnlab's numbers only."
fi
echo

# Peak memory (#13.3): nnlab train's whole run (loading, training, evaluation) against PyTorch's
# loop process, on one thread, in nnlab train's default batch (64) and in the bench's (100).
echo "== Peak memory: nnlab train --model deep-cnn --epochs 1 against bench/pytorch_loop.py --network deep_cnn"
for batch in 64 100; do
  run_dir=$(mktemp -d)
  "$python" "$here/peak_memory.py" "nnlab_batch$batch" -- "$build/nnlab" train --model deep-cnn --epochs 1 \
    --batch-size "$batch" --threads 1 --out "$run_dir/run" | tee -a "$results"
  rm -rf "$run_dir"
  if "$python" -c "import torch" 2>/dev/null; then
    "$python" "$here/peak_memory.py" "pytorch_batch$batch" -- "$python" "$here/pytorch_loop.py" --network deep_cnn \
      --batch "$batch" --threads 1 | tee -a "$results"
  fi
done
echo

if [[ ! -x "$python" ]]; then
  echo "No $python to print the tables: nnlab's figures are above and in $out/nnlab.json."
  exit 0
fi
"$python" "$here/table.py" "$out/nnlab.json" "$results"
