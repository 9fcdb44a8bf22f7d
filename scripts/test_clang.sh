#!/usr/bin/env bash
# CI stage: the library, the tests, the examples and the libFuzzer targets built with clang 14
# (<repo>/build-clang, ASan+UBSan, the library instrumented for the fuzzers), so that nothing
# g++-only creeps in; then the committed fuzz corpus replayed through the targets (scripts/fuzz.sh 0,
# same folder). The suite itself runs under the sanitizers in the g++ stage (scripts/test_sanitized.sh).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$repo/scripts/fuzz.sh" --configure
cmake --build "$repo/build-clang" -j"$(nproc)"
bash "$repo/scripts/check_packages.sh" "$repo/build-clang"
bash "$repo/scripts/fuzz.sh" 0
