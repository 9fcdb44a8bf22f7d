#!/usr/bin/env bash
# ctest, when the build registers the doctest cases in shards (-DTAPEGRAD_TEST_SHARDS=N): runs shard I
# of N, the I-th of N equal runs of cases in doctest's order, in one process. doctest's closing summary
# counts every case; the line printed first says which ones this process ran.
# usage: doctest_shard.sh <tapegrad_tests> <I, from 1> <N> [doctest options...]
set -euo pipefail
tests=$1 shard=$2 shards=$3
shift 3
count=$("$tests" --count --no-version "$@" | sed -n 's/.*test cases passing the current filters: \([0-9]*\)$/\1/p')
[[ $count =~ ^[0-9]+$ ]] || { echo "doctest_shard: $tests --count printed no count" >&2; exit 1; }
first=$(((shard - 1) * count / shards + 1))
last=$((shard * count / shards))
echo "doctest_shard: shard $shard of $shards runs cases $first to $last of $count"
[ "$last" -ge "$first" ] || exit 0
exec "$tests" --no-version --first="$first" --last="$last" "$@"
