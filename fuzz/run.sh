#!/usr/bin/env bash
# Fuzzes each target for SECONDS seconds (default 60), one after another.
# Usage: fuzz/run.sh BUILD_DIR [SECONDS] [TARGET...]
# New inputs go to BUILD_DIR/corpus/TARGET (the committed seed corpus in
# fuzz/corpus/TARGET is read, never written); crashes to BUILD_DIR/artifacts/TARGET/.
# Ends with the list of targets that crashed, exit code 1 if any did.
set -uo pipefail
build=${1:?usage: fuzz/run.sh BUILD_DIR [SECONDS] [TARGET...]}
seconds=${2:-60}
shift $(( $# >= 2 ? 2 : 1 ))
here=$(cd "$(dirname "$0")" && pwd)
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
  for source in "$here"/*_fuzz.cpp; do targets+=("$(basename "$source" .cpp)"); done
fi
export OMP_NUM_THREADS=1
failed=()
for target in "${targets[@]}"; do
  mkdir -p "$build/corpus/$target" "$build/artifacts/$target"
  echo "== $target: ${seconds} s"
  if ! "$build/$target" -max_total_time="$seconds" -rss_limit_mb=4096 -timeout=30 -max_len=4096 \
      -print_final_stats=1 -artifact_prefix="$build/artifacts/$target/" \
      "$build/corpus/$target" "$here/corpus/$target" 2>"$build/artifacts/$target/log.txt"; then
    failed+=("$target")
    tail -n 40 "$build/artifacts/$target/log.txt"
  else
    grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb" "$build/artifacts/$target/log.txt" | tr '\n' ' '
    echo
  fi
done
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzz: crashes in ${failed[*]} (inputs in $build/artifacts/)"
  exit 1
fi
echo "fuzz: no crashes in ${#targets[@]} targets"
