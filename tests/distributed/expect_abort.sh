#!/usr/bin/env bash
# Runs a 2-rank job that must fail: it must exit non-zero within a deadline (no hang) and print the
# expected message. usage: expect_abort.sh <seconds> <expected text> <command...>
set -u
deadline=$1 expected=$2
shift 2
start=$(date +%s)
out=$(timeout --kill-after=5 "$deadline" "$@" 2>&1)
rc=$?
elapsed=$(( $(date +%s) - start ))
echo "$out"
echo "exit code $rc after ${elapsed}s"
if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then echo "FAIL: still running after ${deadline}s (a hang)"; exit 1; fi
if [ "$rc" -eq 0 ]; then echo "FAIL: exited 0"; exit 1; fi
if ! grep -qF -- "$expected" <<<"$out"; then echo "FAIL: the output does not name: $expected"; exit 1; fi
echo "PASS: non-zero exit naming the failure"
