"""lactsim: lactation physiology simulation from Python.

The same engine as the ``lactsim`` command line, called in-process: scenarios load from
TOML files, TOML text or dicts; results come back as :class:`Table` objects (dicts of NumPy
arrays with the command line's CSV column names, ``.to_pandas()`` when pandas is installed).
Long calls (sweeps, populations, comparisons, sensitivity analyses, fits) run on several
threads with the GIL released and stop cleanly on Ctrl-C (KeyboardInterrupt).

Quick start::

    import lactsim
    massage = lactsim.Scenario.from_file("scenarios/seed_case_massage.toml")
    result = lactsim.simulate(massage)
    result.daily["milk_ml"]            # mL transferred per day, as daily.csv

Errors are :class:`ScenarioError` (bad input, with file:line:column) and
:class:`SimulationError` (the integrator failed), both :class:`LactsimError`.
"""

from __future__ import annotations

from . import _api
from ._api import (
    Design,
    FitResult,
    PopulationStudyResult,
    Scenario,
    SensitivityResult,
    SimulationResult,
    SweepResult,
    compare,
    endpoints,
    fit,
    parameters,
    population,
    population_study,
    sensitivity,
    simulate,
    sweep,
)
from . import _shipped
from ._shipped import shipped_population_path, shipped_scenario, shipped_scenario_path, shipped_scenarios
from ._table import Table
from .errors import LactsimError, ScenarioError, SimulationError

# The public names: _api's, the shipped scenarios', the table type and the errors.
__all__ = [*_api.__all__, *_shipped.__all__, "LactsimError", "ScenarioError", "SimulationError", "Table"]
