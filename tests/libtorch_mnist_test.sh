#!/usr/bin/env bash
# ctest: examples/libtorch_mnist (upstream LibTorch's MNIST example written with tapegrad) trains
# briefly, exits 0 and prints its test line.   usage: libtorch_mnist_test.sh <libtorch_mnist binary>
set -euo pipefail
out=$("$1" --train-rows 640 --test-rows 1000)
echo "$out"
grep -qE '^Test set: average loss [0-9.]+, accuracy 0\.[0-9]+ \([0-9]+ of 1000\)$' <<< "$out" ||
  { echo "FAIL: no test line"; exit 1; }
