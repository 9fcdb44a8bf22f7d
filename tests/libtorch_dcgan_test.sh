#!/usr/bin/env bash
# ctest: examples/libtorch_dcgan (upstream LibTorch's DCGAN written with tapegrad) trains a few small
# batches with finite losses and writes a checkpoint of the generator's parameters and buffers.
#   usage: libtorch_dcgan_test.sh <libtorch_dcgan binary>
set -euo pipefail
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Small: under the sanitizers a batch of 16 took about 7 s.
out=$("$1" --batches 4 --batch-size 4 --log-every 2 --checkpoint "$work/generator.npz")
echo "$out"
[ "$(grep -cE '^\[1/1\]\[[24]/15000\] D_loss: [0-9]+\.[0-9]{4} \| G_loss: [0-9]+\.[0-9]{4}$' <<< "$out")" = 2 ] ||
  { echo "FAIL: expected two loss lines"; exit 1; }
grep -qE '^Training complete: 4 batches, last D_loss [0-9.]+, G_loss [0-9.]+$' <<< "$out" ||
  { echo "FAIL: no closing line"; exit 1; }
# An uncompressed zip (modules/checkpoint.hpp) names its entries in plain bytes.
for entry in up1.weight.npy to_image.weight.npy norm3.running_var.npy; do
  grep -aqF "$entry" "$work/generator.npz" || { echo "FAIL: the checkpoint has no $entry"; exit 1; }
done
echo "libtorch_dcgan trains and checkpoints: ok"
