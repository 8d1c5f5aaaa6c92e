#!/usr/bin/env bash
# make demo: train a convolutional network on the bundled MNIST sample, show the result,
# and let it read ten digit images drawn as a person's own scan would look.
set -euo pipefail
build=${1:-build}
out=runs/demo
echo "== nnlab demo: training SimpleConvNet (conv 30@5x5, max-pool, 100, 10) on the bundled MNIST sample =="
"$build/nnlab" train --model simple-cnn --out "$out"
echo
echo "== the saved model, evaluated again from its file =="
"$build/nnlab" eval --model "$out/model.safetensors"
echo
echo "== the model reads ten digits drawn dark on white, enlarged and off-centre (data/examples) =="
"$build/nnlab" predict --model "$out/model.safetensors" data/examples/*.png
echo
echo "Per-epoch history: $out/history.csv ($out/history.json); the run report: $out/report.html"
echo "Try your own handwriting: $build/nnlab predict --model $out/model.safetensors my_digit.png"
