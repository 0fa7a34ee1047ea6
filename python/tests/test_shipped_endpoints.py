"""Every shipped scenario's endpoints, with both solvers, as recorded in tests/data/shipped_endpoints.csv
by scripts/shipped_endpoints.py at an earlier commit: a refactoring of the engine, the solvers or
the loaders must not move a number. A change meant to move numbers regenerates the record."""

import csv
import math
import os
import pathlib

import pytest

import lactsim

SOURCE = pathlib.Path(os.environ.get("LACTSIM_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
# Far below both solvers' documented accuracy (docs/performance.md: 5e-4 and 2e-5 relative on
# daily milk), above the rounding a reordered sum may change.
RELATIVE_TOLERANCE = 1e-9


def recorded():
    with open(SOURCE / "tests" / "data" / "shipped_endpoints.csv", newline="") as f:
        rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
    by_run = {}
    for row in rows:
        by_run.setdefault((row["scenario"], row["solver"]), {})[row["endpoint"]] = float(row["value"])
    return by_run


RECORD = recorded()


def test_the_record_covers_every_shipped_scenario():
    shipped = {p.relative_to(SOURCE).as_posix() for p in (SOURCE / "scenarios").rglob("*.toml")
               if "populations" not in p.parts}
    assert {scenario for scenario, _ in RECORD} == shipped


@pytest.mark.parametrize("scenario,solver", sorted(RECORD))
def test_endpoints_are_as_recorded(scenario, solver):
    expected = RECORD[(scenario, solver)]
    actual = lactsim.endpoints(lactsim.Scenario.from_file(str(SOURCE / scenario)), solver=solver)
    assert set(actual) == set(expected)
    moved = {name: (actual[name], value) for name, value in expected.items()
             if not (math.isnan(value) and math.isnan(actual[name]))
             and not math.isclose(actual[name], value, rel_tol=RELATIVE_TOLERANCE, abs_tol=1e-12)}
    assert moved == {}, f"{scenario} ({solver}): endpoints moved (now, recorded): {moved}"
