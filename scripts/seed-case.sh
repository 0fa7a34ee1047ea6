#!/usr/bin/env bash
# The main job: the seed case, a post-caesarean mother with and without oxytocin massage.
# Installs what is missing, builds, simulates both scenarios, writes results/ and renders the
# figures into results/figures/ (the comparison is the README's figure, docs/img/seed_case.png);
# then the same two arms on the calibrated default population of 1000 mothers, paired
# (results/population/compare.csv and its figures; README figure docs/img/seed_case_population.png).
# Extra arguments go to the single-mother run only.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh lactsim   # the CLI only: the test suite is not needed here
./build/release/app/lactsim run scenarios/seed_case_massage.toml scenarios/seed_case_control.toml \
  --out results --plot "$@"
cp results/figures/comparison.png docs/img/seed_case.png
./build/release/app/lactsim compare --population scenarios/populations/first_week.toml \
  scenarios/seed_case_control.toml scenarios/seed_case_massage.toml --out results/population/compare.csv --plot -q
cp results/population/figures/population_comparison.png docs/img/seed_case_population.png
echo "figures: results/figures/, results/population/figures/ (README figures: docs/img/seed_case.png, docs/img/seed_case_population.png)"
