#!/usr/bin/env python3
"""Throughput of a sweep through the Python package vs the lactsim command line.

The same design (Latin hypercube of N samples over the two massage parameters of the seed
case, same solver, same threads) is run alternately by `lactsim sweep` (writing its CSV) and
by lactsim.sweep() (rows in memory as NumPy arrays), REPEATS times each; prints simulations/s
of each and the ratio of the medians. The issue's target: Python ≥ 90 % of the CLI.

    PYTHONPATH=build/release/python /usr/bin/python3 bench/python_sweep.py \
        --cli build/release/app/lactsim [-n 20000] [--threads 2] [--solver cascade] [--repeats 3]

Exits 1 when the ratio of medians is below --min-ratio (0.9).
"""

from __future__ import annotations

import argparse
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

import lactsim

ROOT = pathlib.Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "seed_case_massage.toml"
RANGES = {"massage_relief_half_life_h": (0.5, 12.0, "log"), "massage_pain_relief_fraction": (0.0, 1.0)}
VARY = ["--vary", "massage_relief_half_life_h=0.5:12:log", "--vary", "massage_pain_relief_fraction=0:1"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cli", required=True, help="the lactsim command line of the same build")
    parser.add_argument("-n", type=int, default=20000, help="samples")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--solver", default=None, help="solver of both (default: the library's)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--min-ratio", type=float, default=0.9)
    args = parser.parse_args()

    scenario = lactsim.Scenario.from_file(SCENARIO)
    design = lactsim.Design.lhs(RANGES, args.n)
    solver_flags = ["--solver", args.solver] if args.solver else []
    cli_rates, python_rates, loads = [], [], []
    with tempfile.TemporaryDirectory() as folder:
        out = os.path.join(folder, "sweep.csv")
        for _ in range(args.repeats):
            loads.append(os.getloadavg()[0])  # the machine's load: shared machines make rates noisy
            start = time.perf_counter()
            subprocess.run([args.cli, "sweep", str(SCENARIO), *VARY, "--design", "lhs", "-n", str(args.n),
                            "-j", str(args.threads), *solver_flags, "--out", out, "--quiet"], check=True)
            cli_rates.append(args.n / (time.perf_counter() - start))
            start = time.perf_counter()
            result = lactsim.sweep(scenario, design, solver=args.solver, threads=args.threads)
            python_rates.append(args.n / (time.perf_counter() - start))
            assert result.samples == args.n
    ratio = statistics.median(python_rates) / statistics.median(cli_rates)
    print(f"{args.n} samples, {args.threads} threads, solver {args.solver or 'default'}")
    print("CLI     simulations/s: " + ", ".join(f"{r:,.0f}" for r in cli_rates))
    print("Python  simulations/s: " + ", ".join(f"{r:,.0f}" for r in python_rates))
    print("load average (1 min) before each pair: " + ", ".join(f"{load:.1f}" for load in loads))
    print(f"Python / CLI (medians): {ratio:.1%}")
    return 0 if ratio >= args.min_ratio else 1


if __name__ == "__main__":
    sys.exit(main())
