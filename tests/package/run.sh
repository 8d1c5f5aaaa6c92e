#!/usr/bin/env bash
# The installed package, as a user outside the tree meets it: installs the build folder into a
# fresh prefix, checks that no path of the build or source tree went in, then builds
# examples/train_mnist.cpp three ways and trains with each:
#   find_package(nnlab) with nnlab::nnlab (static) and nnlab::shared, and pkg-config (shared).
# Usage: tests/package/run.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$(realpath "$1")
source=$(realpath "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix

cmake --install "$build" --prefix "$prefix" > "$work/install.log"
libdir=$(dirname "$(find "$prefix" -name libnnlab.a)")
for f in include/nnlab/train/train.h bin/nnlab share/nnlab/data/mnist/t10k-images-idx3-ubyte.gz \
         share/nnlab/data/tables/iris.csv; do
  [[ -e $prefix/$f ]] || { echo "package: $f was not installed"; exit 1; }
done
for f in "$libdir/libnnlab.so" "$libdir/cmake/nnlab/nnlabConfig.cmake" "$libdir/pkgconfig/nnlab.pc"; do
  [[ -e $f ]] || { echo "package: $f was not installed"; exit 1; }
done
if found=$(grep -rl --binary-files=text -e "$build" -e "$source" "$prefix"); then
  echo "package: installed files name the build or source tree:"; echo "$found"; exit 1
fi

# Everything below runs elsewhere, with nothing of nnlab's environment.
cd "$work"
unset NNLAB_DATA NNLAB_TABLES
example=$work/train_mnist.cpp
cp "$source/examples/train_mnist.cpp" "$example"

echo "== the installed tool finds the bundled data beside it"
"$prefix/bin/nnlab" --version
"$prefix/bin/nnlab" train --epochs 1 --threads 1 --out "$work/run" | tail -2

echo "== find_package(nnlab)"
cmake -S "$source/tests/package" -B "$work/app" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" \
      -DEXAMPLE_SOURCE="$example" > "$work/configure.log" || { cat "$work/configure.log"; exit 1; }
cmake --build "$work/app" > "$work/build.log" || { cat "$work/build.log"; exit 1; }
# The shared library finds the data relative to itself; a static program outside the prefix is
# given the folder (or finds it at the prefix the library was configured for).
"$work/app/train_mnist_shared" "" 1 | tee "$work/shared.txt"
"$work/app/train_mnist_static" "$prefix/share/nnlab/data/mnist" 1 | tee "$work/static.txt"

echo "== pkg-config"
export PKG_CONFIG_PATH=$libdir/pkgconfig
# shellcheck disable=SC2046
g++ -std=c++20 -O2 "$example" -o "$work/train_mnist_pc" $(pkg-config --cflags --libs nnlab)
"$work/train_mnist_pc" "" 1 | tee "$work/pc.txt"

# Same seed, same run: the three programs print the same test accuracy.
accuracy() { grep -o 'test accuracy [0-9.]*' "$1"; }
if [[ $(accuracy "$work/shared.txt") != $(accuracy "$work/static.txt") ||
      $(accuracy "$work/shared.txt") != $(accuracy "$work/pc.txt") ]]; then
  echo "package: the three builds of train_mnist differ"; exit 1
fi
accuracy "$work/shared.txt" | awk '{ if ($3 < 0.85) { print "package: accuracy too low: " $3; exit 1 } }'
echo "package: ok"
