#!/usr/bin/env bash
# CI stage: the library, the tests and the examples built with clang (Release, <repo>/build-clang),
# and the whole test suite run, so that nothing g++-only creeps in.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$repo/build-clang
export TAPEGRAD_DATA_DIR=${TAPEGRAD_DATA_DIR:-$repo/.cache/data}
bash "$repo/scripts/setup.sh"
cmake -S "$repo" -B "$build" -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=Release \
  -DTAPEGRAD_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)"
bash "$repo/scripts/check_packages.sh" "$build"
cd "$build"
ctest -j"$(nproc)" --output-on-failure --timeout 900
