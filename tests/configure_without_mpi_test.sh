#!/usr/bin/env bash
# ctest: a machine without Open MPI, short of compiling the library again. The library's parts but
# distributed/ include neither it nor mpi.h and do not read TAPEGRAD_HAS_DISTRIBUTED, so they compile
# there as here.
# CMake with find_package(MPI) disabled: the configure succeeds and says tg::distributed is not built,
# the library leaves out distributed/, the MPI tests are not registered, the test of train_mnist's
# message is (that train_mnist is compiled here too: train_mnist_without_mpi).
#   usage: configure_without_mpi_test.sh <cmake> <source folder> <C++ compiler> <work folder> <part>...
# (the parts: the library's folders but distributed/)
set -euo pipefail
cmake=$1 source=$2 compiler=$3 work=$4
shift 4
rm -rf "$work" && mkdir -p "$work"
fail() { echo "FAIL: $*"; exit 1; }
[ $# -gt 0 ] || fail "no library folders given to search"

for part in "$@"; do
  if grep -rnE "TAPEGRAD_HAS_DISTRIBUTED|tapegrad/distributed/|[<\"]mpi\.h[>\"]" "$source/$part"; then
    fail "the lines above, outside distributed/, depend on MPI being found"
  fi
done

"$cmake" -S "$source" -B "$work/build" -DCMAKE_CXX_COMPILER="$compiler" -DCMAKE_DISABLE_FIND_PACKAGE_MPI=ON \
  >"$work/configure.log" 2>&1 || { cat "$work/configure.log"; fail "the configure without MPI failed (log above)"; }
grep -qF "tapegrad: tg::distributed is not built: MPI not found" "$work/configure.log" ||
  { cat "$work/configure.log"; fail "the configure did not say that tg::distributed is not built"; }
if grep -rlE "/distributed/[a-z_]+\.cpp" "$work/build/CMakeFiles/tapegrad.dir"; then
  fail "the library's build files above name a source of distributed/"
fi
(cd "$work/build" && ctest -N) >"$work/tests.txt"
grep -q " train_mnist_distributed_without_mpi_says_how$" "$work/tests.txt" ||
  fail "train_mnist_distributed_without_mpi_says_how is not registered"
if grep -E " distributed_[a-z_0-9]+$" "$work/tests.txt"; then fail "MPI tests registered without MPI (above)"; fi
echo "PASS: configured without MPI: no tg::distributed, train_mnist's message tested"
