#!/usr/bin/env bash
# ctest: the trainer's second CNN (BatchNorm2d, Dropout) learns with Adam on a small MNIST subset,
# and --save then --load reproduces its validation accuracy (the running statistics are saved with
# the parameters); its option checks exit with code 2.   usage: train_mnist_bn_cnn_test.sh <path to train_mnist>
set -euo pipefail
trainer=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

source "$(dirname "${BASH_SOURCE[0]}")/trainer_checks.sh"

"$trainer" --model bn-cnn --optimizer adam --epochs 0 >"$work/default.log"
grep -qF "Adam lr 0.001 " "$work/default.log" || { echo "FAIL: Adam's default lr is not 0.001:"; cat "$work/default.log"; exit 1; }

# 79 steps: a higher lr than the default, held constant, so that so few steps reach ~93%.
"$trainer" --model bn-cnn --optimizer adam --lr 0.003 --schedule constant --epochs 1 --train-rows 5000 \
  --save "$work/bn.npz" >"$work/train.log"
trained=$(accuracy "$work/train.log")
echo "bn-cnn, Adam, 5000 rows: validation accuracy $trained%"
awk -v a="$trained" 'BEGIN { exit !(a > 85) }' || { echo "FAIL: accuracy $trained% is not well above chance (10%)"; exit 1; }

"$trainer" --model bn-cnn --epochs 0 --load "$work/bn.npz" >"$work/load.log"
loaded=$(accuracy "$work/load.log")
echo "reloaded: validation accuracy $loaded%"
[ "$trained" = "$loaded" ] || { echo "FAIL: --load gave $loaded%, expected $trained%"; exit 1; }

usage_error "--optimizer must be sgd or adam, got 'lbfgs'" --optimizer lbfgs
usage_error "--model bn-cnn trains on one thread only" --model bn-cnn --threads 2
usage_error "--lr must be > 0" --optimizer adam --lr 0
echo "bad --optimizer and bn-cnn with threads exit with 2: ok"
