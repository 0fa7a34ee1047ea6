"""The scenarios shipped with lactsim (the source tree's scenarios/), installed inside the
package so that a study can start from them wherever the package is installed."""

from __future__ import annotations

import pathlib
from typing import List, Optional

from ._api import ARGUMENTS_ORIGIN, Overrides, Scenario
from .errors import ScenarioError

__all__ = ["shipped_population_path", "shipped_scenario", "shipped_scenario_path", "shipped_scenarios"]

#: the folder of the shipped scenario files inside the installed package
_SCENARIO_DIR = pathlib.Path(__file__).resolve().with_name("scenarios")
#: its folder of population and population-calibration files (scenarios/populations/): they
#: hold no [scenario] table, so shipped_scenario() could not load them; not listed as scenarios
_POPULATION_FOLDER = "populations"


def shipped_scenarios() -> List[str]:
    """Names of the shipped scenarios, sorted: the file path below scenarios/ without
    ``.toml``, e.g. ``"seed_case_massage"`` or ``"calibration/saint1984_vaginal"``. The
    population files in scenarios/populations/ are not scenarios: their paths are
    :func:`shipped_population_path`'s."""
    return sorted(path.relative_to(_SCENARIO_DIR).with_suffix("").as_posix()
                  for path in _SCENARIO_DIR.rglob("*.toml")
                  if _POPULATION_FOLDER not in path.relative_to(_SCENARIO_DIR).parts)


def shipped_scenario_path(name: str) -> pathlib.Path:
    """The file of the shipped scenario ``name`` (as :func:`shipped_scenarios` lists it).

    Raises:
        ScenarioError: no shipped scenario has that name (the message lists them)
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a str such as 'seed_case_massage', not {type(name).__name__}")
    names = shipped_scenarios()
    if name not in names:
        raise ScenarioError(f"{ARGUMENTS_ORIGIN}: name: no shipped scenario {name!r}; the shipped scenarios are "
                            + ", ".join(names), ARGUMENTS_ORIGIN, 0, 0, "name")
    return _SCENARIO_DIR / f"{name}.toml"


def shipped_population_path(name: str = "first_week") -> pathlib.Path:
    """The shipped population file ``name`` (scenarios/populations/NAME.toml), to pass as
    ``population=`` to :func:`compare` and :func:`population_study`; the default is the
    calibrated first-week population (docs/calibration.md).

    Raises:
        ScenarioError: no shipped population file has that name (the message lists them)
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a str such as 'first_week', not {type(name).__name__}")
    folder = _SCENARIO_DIR / "populations"
    names = sorted(path.stem for path in folder.glob("*.toml") if not path.stem.endswith("_calibration"))
    if name not in names:
        raise ScenarioError(f"{ARGUMENTS_ORIGIN}: name: no shipped population {name!r}; the shipped populations are "
                            + ", ".join(names), ARGUMENTS_ORIGIN, 0, 0, "name")
    return folder / f"{name}.toml"


def shipped_scenario(name: str, overrides: Overrides = None, params_file: Optional[str] = None) -> Scenario:
    """Loads the shipped scenario ``name``, e.g. ``lactsim.shipped_scenario("seed_case_massage")``,
    as :meth:`Scenario.from_file` loads its file (same arguments)."""
    return Scenario.from_file(shipped_scenario_path(name), overrides, params_file)
