#!/usr/bin/env bash
# README command (1): set up, build, and train on MNIST, printing the accuracy. Extra arguments go
# to the trainer (see build/examples/train_mnist --help), e.g. `bash scripts/train.sh --model cnn`.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export TAPEGRAD_DATA_DIR=${TAPEGRAD_DATA_DIR:-$repo/.cache/data}
bash "$repo/scripts/setup.sh"
bash "$repo/scripts/build.sh"
exec "$repo/build/examples/train_mnist" "$@"
