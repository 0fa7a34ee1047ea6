#!/usr/bin/env bash
# The whole test suite on a fresh Debian machine: install missing packages, then
#  1. the optimised build (with MPI) and its tests, including `mpirun -n 2`;
#  2. a short libFuzzer run (ASan + UBSan, clang) over the scenario loader and command-line
#     parsers, after replaying every committed input that once crashed;
#  3. the whole suite again under AddressSanitizer + UndefinedBehaviorSanitizer.
# LACTSIM_QUICK=1 runs step 1 only; LACTSIM_FUZZ_SECONDS sets step 2's length (default 60).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
ctest --preset release
if [ "${LACTSIM_QUICK:-0}" = "1" ]; then
  exit 0
fi
echo "== fuzzing"
bash scripts/fuzz.sh "${LACTSIM_FUZZ_SECONDS:-60}"
echo "== sanitizers: the whole suite under ASan + UBSan"
cmake --build --preset asan
ctest --preset asan
