#!/usr/bin/env bash
# The library outside its AVX2 and AVX-512 kernel copies is x86-64 baseline code: no instruction of
# it touches a ymm or zmm register or is VEX/EVEX-encoded (v-prefixed on xmm), so the whole library
# runs on any x86-64 CPU, the kernels' level chosen at run time (core/simd_level.hpp).
#   usage: baseline_isa_test.sh LIBTAPEGRAD_A
set -euo pipefail
lib=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
ar x "$lib"
checked=0
for o in *.o; do
  case $o in tapegrad_simd_avx2.o | tapegrad_simd_avx512.o) continue ;; esac
  checked=$((checked + 1))
  found=$(objdump -d --no-show-raw-insn "$o" | grep -E '%[yz]mm|^\s*[0-9a-f]+:\s+v[a-z0-9]+\s.*%xmm' | head -3 || true)
  if [ -n "$found" ]; then
    echo "FAIL: $o has instructions beyond the x86-64 baseline:"
    echo "$found"
    exit 1
  fi
done
for o in tapegrad_simd_avx2.o tapegrad_simd_avx512.o; do
  [ -f "$o" ] || { echo "FAIL: $o is missing from $lib"; exit 1; }
done
echo "PASS: $checked objects of $lib are x86-64 baseline code"
