#!/usr/bin/env python3
"""Writes the endpoints of every shipped scenario, with both solvers, as a regression record.

    PYTHONPATH=build/release/python scripts/shipped_endpoints.py > tests/data/shipped_endpoints.csv

python/tests/test_shipped_endpoints.py holds later builds to this record: a refactoring must not
move a number. When a change is meant to move numbers (a model change, a recalibration), regenerate
the record in the same commit and say why in its message; the header names the commit it was made at.
"""

import pathlib
import subprocess
import sys

import lactsim

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOLVERS = ("dopri5", "cascade")


def shipped_scenarios():
    return sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "scenarios").rglob("*.toml")
                  if "populations" not in p.parts)


def main() -> int:
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip() or "unknown"
    print(f"# endpoints of the shipped scenarios at commit {commit} (scripts/shipped_endpoints.py)")
    print("scenario,solver,endpoint,value")
    for path in shipped_scenarios():
        for solver in SOLVERS:
            for name, value in lactsim.endpoints(lactsim.Scenario.from_file(str(ROOT / path)), solver=solver).items():
                print(f"{path},{solver},{name},{value!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
