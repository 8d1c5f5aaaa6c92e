#!/usr/bin/env bash
# make demo: train the default model on the bundled MNIST sample and show the result.
set -euo pipefail
build=${1:-build}
out=runs/demo
echo "== nnlab demo: training the default network on the bundled MNIST sample =="
"$build/nnlab" train --out "$out"
echo
echo "== the saved model, evaluated again from its file =="
"$build/nnlab" eval --model "$out/model.safetensors"
echo
echo "Per-epoch history: $out/history.csv ($out/history.json); the run report: $out/report.html"
