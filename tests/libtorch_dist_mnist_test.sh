#!/usr/bin/env bash
# ctest: examples/libtorch_dist_mnist (upstream LibTorch's distributed MNIST example written with
# tapegrad) trains on 2 ranks, each prints its accuracy line, and rank 0's test accuracy is above
# chance (41% after these 100 steps of 64 rows; 10% untrained).
#   usage: libtorch_dist_mnist_test.sh <mpirun and its options> <libtorch_dist_mnist binary>
set -euo pipefail
out=$("$@" --train-rows 6400 --test-rows 1000)
echo "$out"
for rank in 0 1; do
  grep -qE "^Rank $rank, epoch 1: training accuracy [0-9.]+%$" <<< "$out" || { echo "FAIL: no line from rank $rank"; exit 1; }
done
accuracy=$(sed -nE 's/^Test accuracy ([0-9.]+)% \([0-9]+ of 1000\)$/\1/p' <<< "$out")
[[ -n "$accuracy" ]] || { echo "FAIL: no test accuracy line"; exit 1; }
awk -v a="$accuracy" 'BEGIN { exit !(a > 30) }' || { echo "FAIL: test accuracy $accuracy% is not above 30%"; exit 1; }
