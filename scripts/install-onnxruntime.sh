#!/usr/bin/env bash
# Installs onnxruntime-node, the runtime tests/export runs exported ONNX files in, into
# tests/onnx/node_modules at the version tests/onnx/package-lock.json pins (1.20.1: its linux-x64
# binaries ship inside the package, so no download script runs: npm ci --ignore-scripts).
# Idempotent: skipped while node_modules was installed from the current lock file.
# Called by `make test` (the tests need it; `make demo` does not); needs node and npm, which
# scripts/install-deps.sh installs.
set -euo pipefail

folder="$(cd "$(dirname "${BASH_SOURCE[0]}")/../tests/onnx" && pwd)"
stamp="$folder/node_modules/.nnlab-lock-sha256"
lock_sum="$(sha256sum "$folder/package-lock.json" | cut -d' ' -f1)"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$lock_sum" && -f "$folder/node_modules/onnxruntime-node/package.json" ]]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "install-onnxruntime: npm is missing (scripts/install-deps.sh installs nodejs and npm)" >&2
  exit 1
fi
echo "install-onnxruntime: npm ci --ignore-scripts in $folder"
(cd "$folder" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
echo "$lock_sum" >"$stamp"
