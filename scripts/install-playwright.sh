#!/usr/bin/env bash
# Installs playwright-core, which the lab's browser test (tests/lab/lab_browser_test.js) drives
# Debian's /usr/bin/chromium with, into tests/lab/node_modules at the version
# tests/lab/package-lock.json pins. playwright-core downloads no browser (npm ci --ignore-scripts).
# Idempotent: skipped while node_modules was installed from the current lock file.
# Called by `make test` (the test needs it; `make demo` does not); needs node and npm, which
# scripts/install-deps.sh installs.
set -euo pipefail

folder="$(cd "$(dirname "${BASH_SOURCE[0]}")/../tests/lab" && pwd)"
stamp="$folder/node_modules/.nnlab-lock-sha256"
lock_sum="$(sha256sum "$folder/package-lock.json" | cut -d' ' -f1)"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$lock_sum" && -f "$folder/node_modules/playwright-core/package.json" ]]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "install-playwright: npm is missing (scripts/install-deps.sh installs nodejs and npm)" >&2
  exit 1
fi
echo "install-playwright: npm ci --ignore-scripts in $folder"
(cd "$folder" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
echo "$lock_sum" >"$stamp"
