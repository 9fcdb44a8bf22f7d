#!/usr/bin/env bash
# Draws every picture into docs/images/: the tape of the first training step of the MLP and of the
# CNN (train_mnist --graph, rendered by Graphviz's dot), the CNN's learning curves over 3 epochs
# (train_mnist --plot), and the walkthrough's figures (scripts/walkthrough.sh, which also rewrites
# docs/walkthrough.md around them). Run it after `bash scripts/train.sh`, which sets up and builds.
#   bash scripts/pictures.sh
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
export TAPEGRAD_DATA_DIR=${TAPEGRAD_DATA_DIR:-$repo/.cache/data}
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1}
train=build/examples/train_mnist
[ -x "$train" ] || { echo "pictures: $train is missing; run bash scripts/train.sh (or scripts/build.sh) first" >&2; exit 1; }
command -v dot >/dev/null || { echo "pictures: Graphviz's dot is missing; run bash scripts/setup.sh" >&2; exit 1; }
out=docs/images
mkdir -p "$out"

"$train" --model mlp --epochs 1 --train-rows 640 --graph "$out/mlp_graph.dot" >/dev/null
dot -Tsvg "$out/mlp_graph.dot" -o "$out/mlp_graph.svg"
"$train" --model cnn --epochs 3 --graph "$out/cnn_graph.dot" --plot "$out/cnn_curves.png" \
  --metrics-csv "$out/cnn_metrics.csv"
dot -Tsvg "$out/cnn_graph.dot" -o "$out/cnn_graph.svg"
bash scripts/walkthrough.sh
echo "pictures: wrote $(ls "$out" | tr '\n' ' ')"
