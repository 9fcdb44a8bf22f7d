#!/usr/bin/env bash
# CI stage: the test suite (all but three tests, below) built with g++ under AddressSanitizer and
# UndefinedBehaviorSanitizer in <repo>/build-asan. Every report is fatal (-fno-sanitize-recover=all, halt_on_error), so it fails
# the test that made it; libstdc++'s bounds checks (_GLIBCXX_ASSERTIONS) are on too. A unity build
# (16 sources per translation unit) halves the compile time the sanitizers cost; the README command's
# build (scripts/test.sh) compiles each library, example and benchmark file on its own, so a file that
# builds only beside others fails there.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$repo/build-asan
export TAPEGRAD_DATA_DIR=${TAPEGRAD_DATA_DIR:-$repo/.cache/data}
bash "$repo/scripts/setup.sh"
cmake -S "$repo" -B "$build" -DCMAKE_CXX_COMPILER=g++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -D_GLIBCXX_ASSERTIONS" \
  -DTAPEGRAD_SANITIZE=address,undefined -DTAPEGRAD_BUILD_BENCHMARKS=OFF \
  -DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=16 >/dev/null
cmake --build "$build" -j"$(nproc)"
bash "$repo/scripts/check_packages.sh" "$build"
export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:check_initialization_order=1:strict_init_order=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
cd "$build"
# All but three tests that the README command's stage (scripts/test.sh) runs and that cost most here
# for what they add under the sanitizers, to keep CI inside its 20 minutes:
# - install_and_find_package: the packaging it checks is the README command's; here it would rebuild
#   its consumer and the README example against the sanitized library and train for 5 epochs (105 s
#   of a core);
# - train_mnist_bn_cnn_adam_learns (76 s): train_mnist_learns_and_reloads runs the same training path,
#   and BatchNorm2d, Dropout and Adam have their own tests;
# - pictures_are_drawn (46 s): gnuplot and Graphviz drawing the walkthrough's figures; the graph's
#   DOT and the CSVs come from code tested on its own (test_graph_dot, the examples' tests).
ctest -j"$(nproc)" --output-on-failure --timeout 900 \
  -E '^(install_and_find_package|train_mnist_bn_cnn_adam_learns|pictures_are_drawn)$'
