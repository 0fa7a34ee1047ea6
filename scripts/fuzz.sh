#!/usr/bin/env bash
# Fuzzes the scenario loader, the command-line parsers and the figure scripts with libFuzzer
# (ASan + UBSan).
#   bash scripts/fuzz.sh [SECONDS]      default 60; findings go to build/asan/fuzz-artifacts/
# The committed inputs (scenarios/, tests/malformed/, tests/fuzz/regressions/, and the
# starting points in tests/fuzz/seeds/, e.g. hostile names for the figure scripts) are replayed
# first, so every input that once crashed is a regression test.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
bash scripts/install-deps.sh
cmake --preset asan >/dev/null
cmake --build --preset asan --target fuzz_scenario_inputs
fuzzer=build/asan/tests/fuzz/fuzz_scenario_inputs
new_corpus=build/asan/fuzz-corpus
artifacts=build/asan/fuzz-artifacts
mkdir -p "$new_corpus" "$artifacts"
seeds=(scenarios scenarios/calibration tests/malformed tests/fuzz/regressions tests/fuzz/seeds)
echo "fuzz: replaying committed inputs"
"$fuzzer" -runs=0 "${seeds[@]}"
echo "fuzz: fuzzing for ${seconds} s"
"$fuzzer" "$new_corpus" "${seeds[@]}" -dict=tests/fuzz/scenario.dict -max_total_time="$seconds" \
  -timeout=10 -rss_limit_mb=4096 -artifact_prefix="$artifacts/" -print_final_stats=1
