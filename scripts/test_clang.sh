#!/usr/bin/env bash
# CI stage: the library, the tests, the examples and the libFuzzer targets built with clang 14
# (<repo>/build-clang, ASan+UBSan, the library instrumented for the fuzzers), so that nothing
# g++-only creeps in; then the committed fuzz corpus replayed through the targets (scripts/fuzz.sh 0,
# same folder). The folder is configured without Open MPI, so this is also the build without
# tg::distributed, and its one ctest of that build runs here. The suite itself runs under the
# sanitizers in the g++ stage (scripts/test_sanitized.sh).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$repo/scripts/fuzz.sh" --configure
cmake --build "$repo/build-clang" -j"$(nproc)"
bash "$repo/scripts/check_packages.sh" "$repo/build-clang"
bash "$repo/scripts/fuzz.sh" 0
export TAPEGRAD_DATA_DIR=${TAPEGRAD_DATA_DIR:-$repo/.cache/data}
cd "$repo/build-clang"
ctest --output-on-failure --no-tests=error -R '^train_mnist_distributed_without_mpi_says_how$'
