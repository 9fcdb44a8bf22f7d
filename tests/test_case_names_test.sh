#!/usr/bin/env bash
# ctest registers each doctest case by its name, through a CMake list, where ';' separates items: a
# case named with one would be registered as two filters that match no case, and both would pass
# without running anything; an unpaired '[' or ']' pairs with another name's bracket and swallows
# the ';' between them, which makes ctest reject the whole list. Fails naming every such case.
# usage: test_case_names_test.sh <tapegrad_tests>
set -euo pipefail
names=$("$1" --list-test-cases --no-version)
names=$(grep -v '^\[doctest\]' <<<"$names")
unpaired='{ o = gsub(/\[/, "["); c = gsub(/\]/, "]"); if (o != c) print }'
if bad=$( (grep ';' <<<"$names"; awk "$unpaired" <<<"$names") | grep .); then
  echo "test case names holding ';' or an unpaired '[' or ']' (ctest would not run them):" >&2
  echo "$bad" >&2
  exit 1
fi
echo "$(grep -c . <<<"$names") test case names, none holding ';' or an unpaired bracket"
