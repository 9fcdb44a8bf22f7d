#!/usr/bin/env bash
# ctest registers each doctest case by its name, through a CMake list, where ';' separates items: a
# case named with one would be registered as two filters that match no case, and both would pass
# without running anything. Fails naming every such case.
# usage: test_case_names_test.sh <tapegrad_tests>
set -euo pipefail
names=$("$1" --list-test-cases --no-version)
if bad=$(grep ';' <<<"$names"); then
  echo "test case names holding ';' (ctest would never run them; use ',' instead):" >&2
  echo "$bad" >&2
  exit 1
fi
echo "$(grep -c . <<<"$names") test case names, none holding ';'"
