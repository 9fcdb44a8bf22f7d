#!/usr/bin/env bash
# Linking tapegrad changes nothing else in a program: no object of the library calls glibc's
# process-wide malloc settings (its buffers are cached by core/allocator.cpp instead).
#   usage: no_malloc_settings_test.sh LIBTAPEGRAD_A
set -euo pipefail
found=$(nm -A --undefined-only "$1" | grep -wE 'mallopt|malloc_trim|__malloc_hook|__free_hook' || true)
if [ -n "$found" ]; then
  echo "FAIL: tapegrad calls process-wide malloc settings:"
  echo "$found"
  exit 1
fi
echo "PASS: no object of $1 calls mallopt, malloc_trim or the malloc hooks"
