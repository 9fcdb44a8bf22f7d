#!/usr/bin/env bash
# CI stage: the library and its test suite (all but two tests, below) built with clang 14 under
# AddressSanitizer and UndefinedBehaviorSanitizer in <repo>/build-clang, then the committed fuzz corpus
# replayed through the libFuzzer targets built there (scripts/fuzz.sh, which configures the folder, says
# how). Every report is fatal (-fno-sanitize-recover=all, halt_on_error), so it fails the test that made
# it. The examples and benchmarks are left to the README command's build (scripts/test.sh), which
# builds and runs them: here they cost about 250 s of CPU (compiled, and the examples run) for programs
# made of library calls that the doctest cases make under the sanitizers too. That build is g++'s and
# compiles each library, example and benchmark file on its own, so a file that builds only beside
# others, or only with one of the two compilers, fails in one of the stages.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$repo/build-clang
export TAPEGRAD_DATA_DIR=${TAPEGRAD_DATA_DIR:-$repo/.cache/data}
bash "$repo/scripts/fuzz.sh" --configure
cmake --build "$build" -j"$(nproc)"
bash "$repo/scripts/check_packages.sh" "$build"
export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:check_initialization_order=1:strict_init_order=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
# All but two tests that the README command's stage (scripts/test.sh) runs and that cost most here
# for what they add under the sanitizers:
# - install_and_find_package: the packaging it checks is the README command's; here it would rebuild
#   its consumer and the README example against the sanitized library and train for 5 epochs;
# - library_is_baseline_outside_the_kernel_copies: the instruction set of the library users build is
#   what it checks; objdump takes ~3 minutes over the sanitized, instrumented library.
(cd "$build" && ctest -j"$(nproc)" --output-on-failure --timeout 900 \
  -E '^(install_and_find_package|library_is_baseline_outside_the_kernel_copies)$')
bash "$repo/scripts/fuzz.sh" 0
