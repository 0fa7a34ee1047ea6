#!/usr/bin/env bash
# Installs lactsim's build and run dependencies from Debian packages, only those missing
# (idempotent: a second run installs nothing and needs no network).
set -euo pipefail

packages=(
  build-essential cmake git pkg-config
  libboost-dev          # Boost.Odeint, Boost.Random (header-only)
  libeigen3-dev         # Eigen 3
  libcli11-dev          # CLI11
  libtomlplusplus-dev   # toml++ (scenario files)
  libgtest-dev          # GoogleTest
  libbenchmark-dev      # Google Benchmark (bench/)
  gnuplot-nox           # figures (pngcairo, svg)
  libopenmpi-dev openmpi-bin   # MPI sweeps (mpirun -n K lactsim sweep ...)
  clang libclang-rt-14-dev     # sanitizer and libFuzzer builds (presets asan, fuzz)
  python3-dev pybind11-dev python3-numpy   # the Python package (python/)
  python3-pytest        # its tests
  python3-pandas        # optional for the package (Table.to_pandas); its tests use it when present
)
# Extra packages for optional features: LACTSIM_EXTRA_PACKAGES="libopenmpi-dev openmpi-bin" etc.
read -r -a extra <<<"${LACTSIM_EXTRA_PACKAGES:-}"
packages+=("${extra[@]}")

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install ${missing[*]}" >&2; exit 1; }
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
