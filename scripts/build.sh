#!/usr/bin/env bash
# Installs what is missing, then configures and builds the release preset.
#   bash scripts/build.sh            everything (CLI, libraries, test suite)
#   bash scripts/build.sh TARGET...  only those targets and what they need (e.g. lactsim)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release >/dev/null
if [ "$#" -gt 0 ]; then
  cmake --build --preset release --target "$@"
else
  cmake --build --preset release
fi
