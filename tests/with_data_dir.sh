#!/usr/bin/env bash
# ctest: runs a command with $TAPEGRAD_DATA_DIR as it is when the test runs, or, when unset, the
# source tree's data cache (where scripts/setup.sh puts MNIST).
#   usage: with_data_dir.sh <default data dir> <command> [args...]
export TAPEGRAD_DATA_DIR=${TAPEGRAD_DATA_DIR:-$1}
shift
exec "$@"
