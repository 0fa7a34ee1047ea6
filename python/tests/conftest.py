"""Shared fixtures: the source tree, the command line built beside the package, and helpers
that run it, so every test can hold the Python package to the CLI's own output."""

from __future__ import annotations

import csv
import os
import pathlib
import subprocess
from typing import Dict, List

import pytest

SOURCE_DIR = pathlib.Path(os.environ.get("LACTSIM_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
SCENARIOS = SOURCE_DIR / "scenarios"
SHIPPED = sorted(p.name for p in SCENARIOS.glob("*.toml"))


def cli_path() -> pathlib.Path:
    """The lactsim command line of the same build (CTest sets LACTSIM_CLI)."""
    if "LACTSIM_CLI" in os.environ:
        return pathlib.Path(os.environ["LACTSIM_CLI"])
    for candidate in (SOURCE_DIR / "build/release/app/lactsim",):
        if candidate.exists():
            return candidate
    pytest.skip("the lactsim command line is not built (set LACTSIM_CLI)")


def run_cli(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Runs the command line; returns the completed process (stdout, stderr as text)."""
    done = subprocess.run([str(cli_path()), *map(str, args)], capture_output=True, text=True, cwd=SOURCE_DIR)
    if check and done.returncode != 0:
        raise AssertionError(f"lactsim {' '.join(map(str, args))} failed ({done.returncode}): {done.stderr}")
    return done


def read_csv(path: os.PathLike) -> List[Dict[str, str]]:
    """A CSV file's rows as dicts of cell texts."""
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def cell(value) -> str:
    """A number as the CLI writes it in CSV files: up to 10 significant digits, shortest form
    (format_number: "%.10g", 0 for ±0); an undefined value (NaN) as an empty cell."""
    value = float(value)
    if value != value:
        return ""
    if value == 0:
        return "0"
    return "%.10g" % value


@pytest.fixture
def seed_massage_path() -> pathlib.Path:
    return SCENARIOS / "seed_case_massage.toml"
