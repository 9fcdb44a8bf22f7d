#!/usr/bin/env bash
# ctest: the trainer learns on a small MNIST subset, --save then --load reproduces its validation
# accuracy, and bad options exit with code 2.   usage: train_mnist_test.sh <path to train_mnist>
set -euo pipefail
trainer=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

accuracy() { sed -n 's/^validation accuracy: \([0-9.]*\)%$/\1/p' "$1"; }

"$trainer" --model mlp --epochs 1 --train-rows 5000 --save "$work/mlp.npz" --metrics-csv "$work/m.csv" >"$work/train.log"
trained=$(accuracy "$work/train.log")
echo "trained on 5000 rows: validation accuracy $trained%"
awk -v a="$trained" 'BEGIN { exit !(a > 80) }' || { echo "FAIL: accuracy $trained% is not well above chance (10%)"; exit 1; }
[ "$(wc -l <"$work/m.csv")" = 2 ] || { echo "FAIL: the metrics CSV should hold a header and one row"; exit 1; }

"$trainer" --model mlp --epochs 0 --load "$work/mlp.npz" >"$work/load.log"
loaded=$(accuracy "$work/load.log")
echo "reloaded: validation accuracy $loaded%"
[ "$trained" = "$loaded" ] || { echo "FAIL: --load gave $loaded%, expected $trained%"; exit 1; }

for bad in "--model rnn" "--epochs -1" "--lr 0" "--batch-size 0" "--momentum 1.5" "--threads 0" "--no-such-flag"; do
  set +e
  # shellcheck disable=SC2086
  "$trainer" $bad >/dev/null 2>"$work/err"
  code=$?
  set -e
  [ $code = 2 ] || { echo "FAIL: '$bad' exited with $code, expected 2"; exit 1; }
  grep -q "train_mnist:" "$work/err" || { echo "FAIL: '$bad' printed no message"; exit 1; }
done
echo "bad options exit with 2: ok"
