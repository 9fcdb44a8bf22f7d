#!/usr/bin/env bash
# Proves that scripts/setup.sh installs everything a build read: every header in the compiler's
# dependency files, every CMake package config CMake found and every library the link lines name
# is mapped to its Debian package (dpkg -S), and each such package must be named in setup.sh or be a
# hard dependency (Depends/PreDepends, recursively, no Recommends) of one that is. A package that is
# only Recommended is not installed by `apt-get install --no-install-recommends`, so it fails here.
# usage: bash scripts/check_packages.sh BUILD_DIR...
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[ $# -gt 0 ] || { echo "usage: $0 BUILD_DIR..." >&2; exit 2; }
for dir in "$@"; do
  [ -f "$dir/CMakeCache.txt" ] || { echo "check_packages: $dir is not a configured build folder" >&2; exit 2; }
done

# The packages setup.sh names: the words of its `packages=( ... )` and `libtorch_packages=( ... )` arrays
# (the second installed by --with-libtorch, for build-torch), comments dropped.
named=$(sed -n '/^[a-z_]*packages=(/,/^)/p' "$repo/scripts/setup.sh" | sed -e 's/#.*//' -e 's/^[a-z_]*packages=(//' -e 's/)//' |
        tr -s ' \t' '\n\n' | grep -v '^$' | sort -u)
[ -n "$named" ] || { echo "check_packages: found no packages=( ... ) list in scripts/setup.sh" >&2; exit 1; }

# Everything those pull in as hard dependencies (virtual packages print as <name> and are skipped).
# shellcheck disable=SC2086
allowed=$( { echo "$named"
  apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces \
    --no-enhances $named 2>/dev/null | grep -v '^ ' | grep -v '^<'; } | sed 's/:.*//' | sort -u)

files=$(mktemp)
trap 'rm -f "$files" "$files.present" "$files.real" "$files.forms"' EXIT
for dir in "$@"; do
  # Headers: the compiler's dependency files list every file each object read.
  find "$dir" -name '*.o.d' -print0 | xargs -0 -r cat | tr ' \\' '\n\n' | grep -E '^/usr/' >>"$files" || true
  # CMake package configs: the <Package>_DIR entries CMake found.
  sed -n 's/^[A-Za-z0-9_.-]*_DIR:[A-Z]*=\(\/usr\/.*\)$/\1/p' "$dir/CMakeCache.txt" |
    while read -r d; do [ -d "$d" ] && find "$d" -maxdepth 1 -name '*.cmake'; done >>"$files"
  # Libraries on the link lines.
  find "$dir" -name link.txt -print0 | xargs -0 -r cat | tr ' ' '\n' | grep -E '^/usr/.*\.(so|a)(\.[0-9]+)*$' >>"$files" || true
done

# Each file's package, in one dpkg call. A file is asked for as read, as the file its links lead to
# (alternatives), and each of those without /usr (dpkg records some libraries under /lib).
# (One readlink for all: one a file took 16 s over a build's 2,600 files.)
sort -u "$files" | while read -r f; do if [ -e "$f" ]; then printf '%s\n' "$f"; fi; done >"$files.present"
xargs -r -d '\n' readlink -e -- <"$files.present" >"$files.real"
paste "$files.present" "$files.real" |
  awk -F'\t' '{ f = $1; r = $2; sub(/^\/usr/, "", f); sub(/^\/usr/, "", r); print $1 "\t" $2 "\t" f "\t" r }' >"$files.forms"
owners=$(cut -f1-4 "$files.forms" | tr '\t' '\n' | sort -u | xargs -r dpkg -S 2>/dev/null || true)
used=$(echo "$owners" | sed 's/: [^:]*$//' | tr ',' '\n' | sed -e 's/ //g' -e 's/:.*//' | grep -v '^$' | sort -u)
unowned=$(awk -F'\t' 'NR == FNR { sub(/^.*: /, ""); owned[$0] = 1; next }
  !(owned[$1] || owned[$2] || owned[$3] || owned[$4]) { print "  " $1 }' <(echo "$owners") "$files.forms")
missing=$(comm -23 <(echo "$used" | grep -v '^?$') <(echo "$allowed"))

status=0
if [ -n "$unowned" ]; then
  echo "check_packages: the build read files no Debian package owns (install them from a package named in scripts/setup.sh):"
  echo "$unowned"
  status=1
fi
if [ -n "$missing" ]; then
  echo "check_packages: the build read files of packages scripts/setup.sh neither names nor pulls in as a hard dependency:"
  echo "$missing" | sed 's/^/  /'
  status=1
fi
[ $status = 0 ] && echo "check_packages: all $(echo "$used" | wc -l) packages the build read are installed by scripts/setup.sh"
exit $status
