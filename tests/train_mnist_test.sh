#!/usr/bin/env bash
# ctest: the trainer learns on a small MNIST subset, --save then --load reproduces its validation
# accuracy; bad options and outputs exit with code 2, failed reads and writes with 1, and a
# diverging run with 3.   usage: train_mnist_test.sh <path to train_mnist>
set -euo pipefail
trainer=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

source "$(dirname "${BASH_SOURCE[0]}")/trainer_checks.sh"

"$trainer" --model mlp --epochs 1 --train-rows 5000 --save "$work/mlp.npz" --metrics-csv "$work/m.csv" >"$work/train.log"
trained=$(accuracy "$work/train.log")
echo "trained on 5000 rows: validation accuracy $trained%"
awk -v a="$trained" 'BEGIN { exit !(a > 80) }' || { echo "FAIL: accuracy $trained% is not well above chance (10%)"; exit 1; }
[ "$(wc -l <"$work/m.csv")" = 2 ] || { echo "FAIL: the metrics CSV should hold a header and one row"; exit 1; }

"$trainer" --model mlp --epochs 0 --load "$work/mlp.npz" >"$work/load.log"
loaded=$(accuracy "$work/load.log")
echo "reloaded: validation accuracy $loaded%"
[ "$trained" = "$loaded" ] || { echo "FAIL: --load gave $loaded%, expected $trained%"; exit 1; }

# Usage errors exit 2 before any work, with one "train_mnist:" prefix and the reason.
mkfifo "$work/pipe"
ln -s "$work/mlp.npz" "$work/link.npz"
usage_error "--model must be mlp, cnn or bn-cnn" --model rnn
usage_error "--epochs must be >= 0" --epochs -1
usage_error "--lr must be > 0" --lr 0
usage_error "--batch-size must be >= 1" --batch-size 0
usage_error "--momentum must be in [0, 1)" --momentum 1.5
usage_error "--threads must be >= 1" --threads 0
usage_error "unrecognised option" --no-such-flag
for option in --batch-size --train-rows --seed; do
  usage_error "$option: expected a non-negative integer, got '-1'" "$option" -1
done
for value in inf -inf nan 1e999; do
  usage_error "--lr: expected a finite number, got '$value'" --lr "$value"
  usage_error "--weight-decay: expected a finite number, got '$value'" --weight-decay "$value"
  usage_error "--momentum: expected a finite number, got '$value'" --momentum "$value"
done
usage_error "--weight-decay must be >= 0" --weight-decay -0.1
usage_error "--save: '$work/no/such/dir/m.npz': folder '$work/no/such/dir': No such file or directory" \
  --save "$work/no/such/dir/m.npz"
usage_error "--save: '$work': is a directory" --save "$work"
usage_error "--save: '$work/link.npz': is a symbolic link" --save "$work/link.npz"
usage_error "--metrics-csv: '$work/pipe': not a regular file" --metrics-csv "$work/pipe"
usage_error "--metrics-csv: '/dev/full': not a regular file" --metrics-csv /dev/full
[ -L "$work/link.npz" ] && [ -p "$work/pipe" ] || { echo "FAIL: a refused output was replaced"; exit 1; }
echo "bad options and outputs exit with 2, naming the reason: ok"

# Other failures exit 1, naming the file and the reason.
run_error() { exits_with 1 "$@"; }  # <expected text in the message> <options...>
run_error "load: '$work': is a directory" --epochs 0 --load "$work"
run_error "load: '/dev/zero': not a regular file" --epochs 0 --load /dev/zero
# A full disk while writing the metrics: files may not grow at all (EFBIG; SIGXFSZ ignored). Output
# goes through a pipe, which the limit does not cover.
set +e
( trap '' XFSZ; ulimit -f 0; exec "$trainer" --epochs 1 --train-rows 500 --metrics-csv "$work/full.csv" ) 2>&1 |
  cat >"$work/err"
code=${PIPESTATUS[0]}
set -e
[ "$code" = 1 ] || { echo "FAIL: a failed --metrics-csv write exited with $code, expected 1"; cat "$work/err"; exit 1; }
grep -qF "train_mnist: --metrics-csv: '$work/full.csv': write failed: File too large" "$work/err" ||
  { echo "FAIL: the failed --metrics-csv write was not reported:"; cat "$work/err"; exit 1; }
echo "unreadable inputs and failed writes exit with 1, naming the file: ok"

# A diverging run stops at the first non-finite loss with exit code 3, naming the step and the epoch.
set +e
"$trainer" --epochs 2 --train-rows 2000 --lr 1000 --schedule constant --save "$work/diverged.npz" >"$work/out" 2>"$work/err"
code=$?
set -e
[ $code = 3 ] || { echo "FAIL: a diverging run exited with $code, expected 3"; cat "$work/out" "$work/err"; exit 1; }
grep -qE "^train_mnist: the training loss is (NaN|inf|-inf) at step [0-9]+ \(epoch 1, batch [0-9]+ of 32\)" "$work/err" ||
  { echo "FAIL: the divergence message does not name the step and epoch:"; cat "$work/err"; exit 1; }
[ ! -e "$work/diverged.npz" ] || { echo "FAIL: a diverged run saved its parameters"; exit 1; }
echo "a diverging run stops with exit code 3: ok"
