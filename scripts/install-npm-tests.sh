#!/usr/bin/env bash
# Installs the npm packages the tests use, each folder at the versions its package-lock.json pins:
#   tests/onnx: onnxruntime-node, the runtime tests/export runs exported ONNX files in (1.20.1: its
#               linux-x64 binaries ship inside the package);
#   tests/lab:  playwright-core, which the lab's browser test drives Debian's /usr/bin/chromium with
#               (it downloads no browser).
# npm ci --ignore-scripts: no install script runs, nothing but the registry's packages is fetched.
# Idempotent: a folder is skipped while its node_modules was installed from its current lock file.
# Called by `make test` (the tests need them; `make demo` does not); needs node and npm, which
# scripts/install-deps.sh installs.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
for entry in "tests/onnx onnxruntime-node" "tests/lab playwright-core"; do
  read -r relative package <<<"$entry"
  folder="$root/$relative"
  stamp="$folder/node_modules/.nnlab-lock-sha256"
  lock_sum="$(sha256sum "$folder/package-lock.json" | cut -d' ' -f1)"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$lock_sum" && -f "$folder/node_modules/$package/package.json" ]]; then
    continue
  fi
  if ! command -v npm >/dev/null 2>&1; then
    echo "install-npm-tests: npm is missing (scripts/install-deps.sh installs nodejs and npm)" >&2
    exit 1
  fi
  echo "install-npm-tests: npm ci --ignore-scripts in $folder"
  (cd "$folder" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  echo "$lock_sum" >"$stamp"
done
