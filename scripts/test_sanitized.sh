#!/usr/bin/env bash
# CI stage: the whole test suite built with g++ under AddressSanitizer and UndefinedBehaviorSanitizer
# in <repo>/build-asan. Every report is fatal (-fno-sanitize-recover=all, halt_on_error), so it fails
# the test that made it; libstdc++'s bounds checks (_GLIBCXX_ASSERTIONS) are on too.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$repo/build-asan
export TAPEGRAD_DATA_DIR=${TAPEGRAD_DATA_DIR:-$repo/.cache/data}
bash "$repo/scripts/setup.sh"
cmake -S "$repo" -B "$build" -DCMAKE_CXX_COMPILER=g++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -D_GLIBCXX_ASSERTIONS" \
  -DTAPEGRAD_SANITIZE=address,undefined -DTAPEGRAD_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)"
bash "$repo/scripts/check_packages.sh" "$build"
export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:check_initialization_order=1:strict_init_order=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
cd "$build"
ctest -j"$(nproc)" --output-on-failure --timeout 900
