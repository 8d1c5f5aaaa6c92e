#!/usr/bin/env bash
# Installs the Debian packages nnlab needs, and only those that are missing.
# Idempotent: a second run installs nothing. Usage: scripts/install-deps.sh [--bench]
#   --bench  also installs python3-torch, so `make bench` can compare with PyTorch.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libopenblas-openmp-dev  # OpenBLAS built with OpenMP: one thread pool for nnlab and BLAS
  zlib1g-dev              # gzip-compressed IDX files
  libpng-dev              # PNG images for nnlab predict
  libcsv-dev              # CSV tables (nnlab train --data table.csv): quoting, streaming
  libjpeg62-turbo-dev     # JPEG images (predict, image folders)
  libdnnl-dev             # oneDNN: convolutions with kernels for the CPU at hand
  libcli11-dev            # command-line parsing
  nlohmann-json3-dev      # JSON (history, safetensors header)
  libgtest-dev            # tests
  libbenchmark-dev        # benchmarks
  pybind11-dev python3-numpy  # import nnlab: the Python module (python/, docs/python.md)
  chromium                # headless browser: the test that report.html renders its charts
  clang-14 libclang-rt-14-dev  # libFuzzer and the sanitizers: the fuzz targets (fuzz/README.md)
  libomp-14-dev           # clang's OpenMP runtime, for the fuzz build
  libonnx-dev libprotobuf-dev  # ONNX export (nnlab export --onnx): ONNX's ModelProto and checker
  python3-onnx                 # the tests: ONNX's Python checker on every exported file
  libopenmpi-dev openmpi-bin   # MPI: mpirun -np N nnlab train (docs/scaling.md)
  libcpp-httplib-dev           # nnlab lab: its HTTP server (cpp-httplib)
)
# The tests run exported files in onnxruntime-node (scripts/install-npm-tests.sh): Node.js and
# npm, Debian's unless a node is installed already (NodeSource's carries its own npm).
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(python3-torch)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [[ ${#missing[@]} -gt 0 ]]; then
  echo "install-deps: installing ${missing[*]}"
  sudo_cmd=()
  if [[ $(id -u) -ne 0 ]]; then
    sudo_cmd=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

