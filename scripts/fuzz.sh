#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz (clang, ASan+UBSan, <repo>/build-clang, the folder
# scripts/test_sanitized.sh builds and tests the library in) and runs every file of the committed seed
# corpus tests/fuzz/corpus/<target>/ through its target; with SECONDS > 0 then fuzzes each target that
# long, growing a working corpus in build-clang/corpus/<target>/. The folder is a unity build (16
# sources per translation unit) at -O1 (the tests' own code at -O0, as everywhere: tests/CMakeLists.txt),
# with libstdc++'s bounds checks (_GLIBCXX_ASSERTIONS); the
# doctest cases run there in 4 shards, each one process (TAPEGRAD_TEST_SHARDS): a process of the
# sanitized test binary takes ~0.5 s to start and exit, which one ctest a case paid ~500 times.
# A crash, a sanitizer report or an unexpected exception fails the run; libFuzzer saves the input as
# build-clang/findings/<target>/crash-* (reproduce: build-clang/tests/fuzz/<target> <file>).
# usage: bash scripts/fuzz.sh [SECONDS]      (CI: 0, the corpus replay only)
#        bash scripts/fuzz.sh --configure    (set up and configure build-clang only)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
seconds=${1:-0}
[[ $seconds =~ ^([0-9]+|--configure)$ ]] || { echo "usage: $0 [SECONDS | --configure]" >&2; exit 2; }
build=$repo/build-clang
targets=(fuzz_idx fuzz_npz)
export TAPEGRAD_DATA_DIR=${TAPEGRAD_DATA_DIR:-$repo/.cache/data}
bash "$repo/scripts/setup.sh"
cmake -S "$repo" -B "$build" -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -D_GLIBCXX_ASSERTIONS" -DTAPEGRAD_SANITIZE=address,undefined,fuzzer-no-link \
  -DTAPEGRAD_BUILD_FUZZERS=ON -DTAPEGRAD_BUILD_EXAMPLES=OFF -DTAPEGRAD_BUILD_BENCHMARKS=OFF \
  -DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=16 -DTAPEGRAD_TEST_SHARDS=4 >/dev/null
[ "$seconds" = --configure ] && exit 0
cmake --build "$build" -j"$(nproc)" --target "${targets[@]}"
bash "$repo/scripts/check_packages.sh" "$build"
export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

for target in "${targets[@]}"; do
  seeds=$repo/tests/fuzz/corpus/${target#fuzz_}
  findings=$build/findings/$target
  mkdir -p "$findings"
  # Each seed once, in a fixed order: deterministic, a few seconds.
  mapfile -t files < <(find "$seeds" -type f | sort)
  "$build/tests/fuzz/$target" -artifact_prefix="$findings/" "${files[@]}" >"$build/$target.replay.log" 2>&1 ||
    { cat "$build/$target.replay.log"; echo "fuzz: $target failed on a seed of $seeds (log above)" >&2; exit 1; }
  echo "fuzz: $target ran its ${#files[@]} seeds from ${seeds#"$repo"/} cleanly"
done

[ "$seconds" = 0 ] && exit 0
for target in "${targets[@]}"; do
  corpus=$build/corpus/$target
  mkdir -p "$corpus"
  echo "fuzz: $target for $seconds s (working corpus ${corpus#"$repo"/})"
  "$build/tests/fuzz/$target" -artifact_prefix="$build/findings/$target/" -max_total_time="$seconds" \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "$corpus" "$repo/tests/fuzz/corpus/${target#fuzz_}" ||
    { echo "fuzz: $target found a failure: $(ls "$build/findings/$target")" >&2; exit 1; }
done
