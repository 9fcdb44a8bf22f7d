#!/usr/bin/env bash
# ctest, in a build without Open MPI: `train_mnist --distributed` is a usage error (exit 2, before any
# work) that says how to get MPI.   usage: train_mnist_without_mpi_test.sh <path to train_mnist>
set -euo pipefail
trainer=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

source "$(dirname "${BASH_SOURCE[0]}")/trainer_checks.sh"

usage_error "--distributed: this tapegrad was built without MPI; install Open MPI (apt-get install libopenmpi-dev" \
  --distributed
echo "PASS: --distributed without MPI exits with 2 and says how to get it"
