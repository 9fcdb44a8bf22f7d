#!/usr/bin/env bash
# ctest: each kind of picture is produced and is not trivial. The tape graph (train_mnist --graph)
# parses with Graphviz's dot and has the CNN's ops in its clusters; the learning curves (--plot) and
# the walkthrough's figures are PNGs of the size asked for.
# usage: pictures_test.sh TRAIN_MNIST INIT_STATS MATMUL_LADDER WORK_DIR
set -euo pipefail
train=$1 init_stats=$2 ladder=$3 work=$4
rm -rf "$work" && mkdir -p "$work"

fail() { echo "pictures_test: $*" >&2; exit 1; }

# A PNG's width and height, from its IHDR chunk (bytes 16-23, big-endian).
png_size() {
  [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "$1 is not a PNG"
  local hex
  hex=$(od -An -tx1 -j16 -N8 "$1" | tr -d ' \n')
  echo "$((16#${hex:0:8}))x$((16#${hex:8:8}))"
}
expect_png() {  # FILE WIDTHxHEIGHT MIN_BYTES
  [ -s "$1" ] || fail "$1 was not written"
  [ "$(png_size "$1")" = "$2" ] || fail "$1 is $(png_size "$1"), expected $2"
  [ "$(stat -c %s "$1")" -ge "$3" ] || fail "$1 has only $(stat -c %s "$1") bytes: an empty plot?"
}

"$train" --model cnn --epochs 2 --train-rows 1000 --graph "$work/cnn.dot" --plot "$work/curves.png" >"$work/train.log"
dot -Tsvg "$work/cnn.dot" -o "$work/cnn.svg" || fail "dot cannot parse $work/cnn.dot"
[ "$(grep -c 'subgraph cluster_' "$work/cnn.dot")" -eq 4 ] || fail "expected 4 module clusters (3 convs, 1 linear) in cnn.dot"
for op in conv2d relu linear cross_entropy; do grep -q "label=\"$op" "$work/cnn.dot" || fail "no $op node in cnn.dot"; done
[ "$(stat -c %s "$work/cnn.svg")" -ge 5000 ] || fail "cnn.svg is suspiciously small"
expect_png "$work/curves.png" 1200x800 10000

"$init_stats" --csv "$work/layers.csv" --plot "$work/std.png" --histogram "$work/hist.png" >"$work/init.log"
expect_png "$work/std.png" 900x600 10000
expect_png "$work/hist.png" 900x600 10000
"$ladder" --repeat 2 --large-rows 200 --subset-rows 20 --plot "$work/ladder.png" >"$work/ladder.log"
expect_png "$work/ladder.png" 900x600 10000
echo "pictures_test: the graph, the curves and the walkthrough's figures are all there"
