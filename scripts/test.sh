#!/usr/bin/env bash
# The whole test suite on a fresh Debian machine: install missing packages, build, run CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
ctest --preset release
