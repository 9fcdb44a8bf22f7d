#!/usr/bin/env bash
# ctest: a benchmark's options go through examples/cli.hpp's strict parsing before any work: --help
# prints the options and exits 0 without running; an unknown option, a stray argument, a missing value,
# a value that is not a number, a count below 1 or a name outside the choices is a usage error (exit 2,
# naming the option). The data folder points nowhere, so a benchmark that started work would fail.
#   usage: bench_options_test.sh <benchmark binary>
set -euo pipefail
bench=$1
name=$(basename "$bench")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export TAPEGRAD_DATA_DIR=$work/no-data

# A usage error: exit 2 at once, with the expected reason after the name and a pointer to --help.
usage_error() {  # <expected text in the message> <options...>
  local want=$1
  shift
  set +e
  timeout 20 "$bench" "$@" >/dev/null 2>"$work/err"
  local code=$?
  set -e
  [ $code = 2 ] || { echo "FAIL: '$*' exited with $code, expected 2"; cat "$work/err"; exit 1; }
  grep -qF -- "$name: $want" "$work/err" || { echo "FAIL: '$*' did not say '$name: $want':"; cat "$work/err"; exit 1; }
  grep -qF "(see $name --help)" "$work/err" || { echo "FAIL: '$*': no pointer to --help"; cat "$work/err"; exit 1; }
}

case $name in
  bench_core) counts=() ;;
  bench_data_pipeline) counts=(--runs) ;;
  bench_conv2d | bench_forward_backward) counts=(--repeat --threads) ;;
  bench_layers) counts=(--repeat --rounds --threads) ;;
  bench_mnist) counts=(--repeat --threads --compare-threads --batch-size) ;;
  bench_distributed) counts=(--repeat) ;;
  *) echo "FAIL: no cases for $name"; exit 1 ;;
esac

# --help: the options, at once, and nothing of a run.
timeout 20 "$bench" --help >"$work/help" 2>"$work/err" || { echo "FAIL: --help exited with $?"; cat "$work/err"; exit 1; }
head -1 "$work/help" | grep -q "^$name: " || { echo "FAIL: --help does not start with '$name: '"; cat "$work/help"; exit 1; }
for option in --help "${counts[@]}"; do
  grep -qF -- "$option" "$work/help" || { echo "FAIL: --help does not list $option"; cat "$work/help"; exit 1; }
done

usage_error "unrecognised option '--bogus'" --bogus 1
usage_error "too many positional options" 7
for option in "${counts[@]}"; do
  usage_error "the required argument for option '$option' is missing" "$option"
  usage_error "the argument ('3x') for option '$option' is invalid" "$option" 3x
  usage_error "$option: expected an integer >= 1, got '-5'" "$option" -5
  usage_error "$option: expected an integer >= 1, got '0'" "$option" 0
done
case $name in
  bench_mnist | bench_distributed) usage_error "--model: expected mlp, cnn or both, got 'foo'" --model foo ;;&
  bench_mnist) usage_error "--phases: expected --compare-threads N with it" --phases ;;
  bench_conv2d)
    usage_error "--simd: 'avx2,avx3': simd level 'avx3' is not one of" --simd avx2,avx3
    usage_error "--simd: '': simd level '' is not one of" --simd ''
    ;;
esac
echo "$name: --help prints the options; bad options are usage errors: ok"
