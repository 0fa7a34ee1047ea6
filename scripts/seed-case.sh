#!/usr/bin/env bash
# The main job: the seed case, a post-caesarean mother with and without oxytocin massage.
# Installs what is missing, builds, simulates both scenarios and writes results/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
./build/release/sim/lactsim run scenarios/seed_case_massage.toml scenarios/seed_case_control.toml \
  --out results "$@"
