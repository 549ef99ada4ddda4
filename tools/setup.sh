#!/usr/bin/env bash
# Installs every Debian package haqsim needs to build, test and run. Idempotent: packages that are
# already installed are skipped, and apt is not touched at all when nothing is missing.
# Fails loudly (non-zero exit, the apt error on stderr) if apt cannot install something.
#   tools/setup.sh              the packages the build and `make test` need
#   tools/setup.sh --optional   also the optional group: what the `long` tests use
set -euo pipefail

PACKAGES=(
  # toolchain and build
  build-essential cmake pkg-config git
  # hardware models
  verilator libsystemc-dev
  # numerics, configs, CLI, formatting
  libeigen3-dev libnlopt-cxx-dev libglpk-dev libyaml-cpp-dev libfmt-dev libcli11-dev nlohmann-json3-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  # training, DDPG (libtorch) and ONNX import
  libtorch-dev libopenblas0-openmp libonnx-dev libprotobuf-dev protobuf-compiler libonnx-testdata
  # data
  zlib1g-dev dataset-fashion-mnist
  # plots
  python3 python3-matplotlib
  # fuzzing and sanitizers (clang's libFuzzer runtime)
  clang libclang-rt-14-dev
  # the Python API (python/haqsim: pybind11 module, DataFrames) and its tests
  pybind11-dev python3-dev python3-numpy python3-pandas python3-pytest
  # NumPy .npy datasets (xtensor's reader)
  libxtensor-dev
)

# Optional groups, each skipped by the default suite when missing:
#   --cluster   the cluster test (`make test-cluster`, part of `make test-long`): a one-node Slurm
#               with munge, and GNU parallel;
#   --optional  PyTorch and torchvision for exporting torchvision's zoo to ONNX and training the
#               small Fashion-MNIST model (tools/onnx/, the `long` test test_onnx_torchvision),
#               and the onnx Python package the test-model script writes test data with;
#               and Debian's chromium, which `make report-screenshots` renders the report pages
#               in (headless) to look at them as PNG.
CLUSTER_PACKAGES=(slurm-wlm munge parallel)
OPTIONAL=(python3-torch python3-torchvision python3-onnx python3-numpy chromium)
for arg in "$@"; do
  case "$arg" in
    --cluster) PACKAGES+=("${CLUSTER_PACKAGES[@]}") ;;
    --optional) PACKAGES+=("${OPTIONAL[@]}") ;;
    *)
      echo "usage: tools/setup.sh [--cluster] [--optional]" >&2
      exit 2
      ;;
  esac
done

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages present"
  exit 0
fi

echo "setup: installing ${#missing[@]} missing package(s): ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: need root or sudo to install packages" >&2; exit 1; }
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get update -q; then
  echo "setup: 'apt-get update' failed" >&2
  exit 1
fi
if ! $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"; then
  echo "setup: 'apt-get install' failed for: ${missing[*]}" >&2
  exit 1
fi
echo "setup: done"
