#!/usr/bin/env bash
# README command (2): set up, build, and run the whole test suite.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export TAPEGRAD_DATA_DIR=${TAPEGRAD_DATA_DIR:-$repo/.cache/data}
bash "$repo/scripts/setup.sh"
bash "$repo/scripts/build.sh"
bash "$repo/scripts/check_packages.sh" "$repo/build"
cd "$repo/build"
ctest -j"$(nproc)" --output-on-failure --timeout 900
