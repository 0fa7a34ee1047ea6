#!/usr/bin/env bash
# The main job: the seed case, a post-caesarean mother with and without oxytocin massage.
# Installs what is missing, builds, simulates both scenarios, writes results/ and renders the
# figures into results/figures/ (the comparison is the README's figure, docs/img/seed_case.png).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh lactsim   # the CLI only: the test suite is not needed here
./build/release/app/lactsim run scenarios/seed_case_massage.toml scenarios/seed_case_control.toml \
  --out results --plot "$@"
cp results/figures/comparison.png docs/img/seed_case.png
echo "figures: results/figures/ (README figure: docs/img/seed_case.png)"
