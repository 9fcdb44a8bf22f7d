#!/usr/bin/env bash
# CI stage: the library and train_mnist built without Open MPI (<repo>/build-nompi, clang 14 at -O0, a
# unity build: the quickest build that compiles the library), the build a machine without
# libopenmpi-dev gets; its one ctest checks that `train_mnist --distributed` says how to get MPI.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$repo/build-nompi
bash "$repo/scripts/setup.sh"
cmake -S "$repo" -B "$build" -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O0 -DCMAKE_DISABLE_FIND_PACKAGE_MPI=ON -DTAPEGRAD_BUILD_BENCHMARKS=OFF \
  -DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=16 >/dev/null
cmake --build "$build" -j"$(nproc)" --target train_mnist
bash "$repo/scripts/check_packages.sh" "$build"
cd "$build"
ctest --output-on-failure --no-tests=error -R '^train_mnist_distributed_without_mpi_says_how$'
