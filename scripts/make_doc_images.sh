#!/usr/bin/env bash
# Regenerates every chart in docs/images from the commands README.md and docs/ show, so that
# the pictures cannot drift from what nnlab draws. Takes some minutes on 2 cores (the search
# of 100 trials is the longest).
#   scripts/make_doc_images.sh [BUILD_DIR]        (default: build)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
nnlab="$(realpath "${1:-build}")/nnlab"
[[ -x $nnlab ]] || { echo "make_doc_images: $nnlab not found: build first (make build)"; exit 1; }
images="$root/docs/images"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# copy FILE NAME: FILE from the run into docs/images/NAME.
copy() { cp "$1" "$images/$2"; echo "docs/images/$2"; }

experiment() {  # experiment NAME [FLAGS...]: runs it into $work/NAME
  local name=$1; shift
  "$nnlab" experiment "$name" --out "$work/$name" "$@" > "$work/$name.log"
}

experiment optimizer-paths
copy "$work/optimizer-paths/bowl_paths.svg" optimizer_paths_bowl.svg
copy "$work/optimizer-paths/saddle_paths.svg" optimizer_paths_saddle.svg
experiment optimizers-mnist
copy "$work/optimizers-mnist/optimizers_mnist.svg" optimizers_mnist.svg
experiment init-histograms
for activation in sigmoid tanh relu; do
  copy "$work/init-histograms/histograms_$activation.svg" "init_histograms_$activation.svg"
done
experiment init-mnist
copy "$work/init-mnist/init_mnist.svg" init_mnist.svg
experiment filters --epochs 5
copy "$work/filters/filters.svg" filters.svg
experiment decision-boundary
copy "$work/decision-boundary/decision_boundary.svg" decision_boundary.svg
experiment regression
copy "$work/regression/regression.svg" regression.svg
experiment batchnorm
copy "$work/batchnorm/batchnorm.svg" batchnorm.svg
experiment overfit
copy "$work/overfit/overfit.svg" overfit.svg
experiment early-stopping
copy "$work/early-stopping/early_stopping.svg" early_stopping.svg

# README, "See inside training": a 10-layer sigmoid network initialised with std 1.
"$nnlab" train --hidden 100,100,100,100,100,100,100,100,100 --activation sigmoid --init normal:1 --monitor \
  --out "$work/monitor" > "$work/monitor.log"
copy "$work/monitor/monitor_gradient_norm_by_layer.svg" monitor_gradient_norm_by_layer_sigmoid.svg
copy "$work/monitor/monitor_gradient_norm.svg" monitor_gradient_norm_sigmoid.svg
copy "$work/monitor/monitor_histograms.svg" monitor_histograms_sigmoid.svg

# README, "Hyperparameter search": the course's setting.
"$nnlab" search --space "lr=1e-6..1e-2:log,weight_decay=1e-8..1e-4:log" --trials 100 --workers 2 --threads 2 \
  --hidden 100,100,100,100,100,100 --optimizer sgd --schedule constant --batch-size 100 --epochs 50 \
  --train-size 500 --val-split 0.2 --out "$work/search" > "$work/search.log" 2>&1
copy "$work/search/search_curves.svg" search_curves.svg
copy "$work/search/search_scatter.svg" search_scatter.svg
