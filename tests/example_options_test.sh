#!/usr/bin/env bash
# ctest: every example's options go through examples/cli.hpp's strict parsing: a sign on a count, a
# number that is not finite, or an output that is not a regular file is a usage error (exit 2), found
# before any work.   usage: example_options_test.sh <folder of the example binaries>
set -euo pipefail
bin=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

source "$(dirname "${BASH_SOURCE[0]}")/trainer_checks.sh"

usage_error() {  # <expected text in the message> <program> <options...>
  local want=$1 program=$2
  shift 2
  trainer=$bin/$program exits_with 2 "$program: $want" "$@"
}
for option in --rows --large-rows --subset-rows --seed; do
  usage_error "$option: expected a non-negative integer, got '-1'" matmul_ladder "$option" -1
done
for option in --batch-size --train-rows --compare-rows --seed; do
  usage_error "$option: expected a non-negative integer, got '-3'" cross_entropy "$option" -3
done
usage_error "--lr: expected a finite number, got 'inf'" cross_entropy --lr inf
for option in --epochs --train-rows --test-rows --threads; do
  usage_error "$option: expected a non-negative integer, got '-2'" libtorch_mnist "$option" -2
done
for option in --epochs --batches --batch-size --log-every --threads; do
  usage_error "$option: expected a non-negative integer, got '-2'" libtorch_dcgan "$option" -2
done
usage_error "--batch-size must be >= 1" libtorch_dcgan --batch-size 0
usage_error "--checkpoint: '/dev/null': not a regular file" libtorch_dcgan --checkpoint /dev/null
usage_error "--rows: expected a non-negative integer, got '+5'" manual_backward --rows +5
usage_error "--layers: expected a non-negative integer, got '-1'" init_stats --layers -1
usage_error "--csv: '/dev/full': not a regular file" init_stats --csv /dev/full
usage_error "--plot: '$work/none/p.png': folder '$work/none': No such file or directory" init_stats --plot "$work/none/p.png"
echo "every example rejects signed counts, non-finite numbers and bad outputs with exit 2: ok"
