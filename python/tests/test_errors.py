"""Errors: Python exceptions carrying the command line's messages (file:line:column: field)."""

from __future__ import annotations

import pytest

import lactsim
from conftest import SCENARIOS, SOURCE_DIR, run_cli

MALFORMED = sorted((SOURCE_DIR / "tests" / "malformed").glob("*.toml"))


@pytest.mark.parametrize("path", MALFORMED, ids=lambda p: p.name)
def test_malformed_scenario_raises_the_cli_message(path):
    done = run_cli("check", path, check=False)
    assert done.returncode == 2, done.stderr
    cli_message = done.stderr.strip().removeprefix("lactsim: error: ")
    with pytest.raises(lactsim.ScenarioError) as raised:
        lactsim.Scenario.from_file(path)
    assert str(raised.value) == cli_message
    assert raised.value.exit_code == 2
    assert raised.value.file == str(path)


def test_error_names_file_line_column_and_field():
    text = '[scenario]\nname = "x"\nduration_days = 7\n\n[delivery]\nmode = "caesarean"\n'
    with pytest.raises(lactsim.ScenarioError) as raised:
        lactsim.Scenario.from_toml(text, label="study.toml")
    error = raised.value
    assert (error.file, error.line, error.field) == ("study.toml", 6, "delivery.mode")
    assert str(error).startswith(f"study.toml:6:{error.column}: delivery.mode: ")
    assert isinstance(error, lactsim.LactsimError) and isinstance(error, ValueError)


def test_from_dict_error_names_the_field():
    with pytest.raises(lactsim.ScenarioError) as raised:
        lactsim.Scenario.from_dict({"scenario": {"name": "x", "duration_days": 0}})
    assert raised.value.field == "scenario.duration_days"


def test_bad_override_names_the_parameter():
    scenario = lactsim.Scenario.from_file(SCENARIOS / "seed_case_control.toml")
    with pytest.raises(lactsim.ScenarioError) as raised:
        scenario.with_parameters(no_such_parameter=1.0)
    assert "no_such_parameter" in str(raised.value)
    with pytest.raises(lactsim.ScenarioError) as raised:
        scenario.with_parameters(activation_rate_per_h=-1.0)
    assert raised.value.field == "parameters.activation_rate_per_h"


def test_bad_options_name_the_argument():
    scenario = lactsim.Scenario.from_file(SCENARIOS / "seed_case_control.toml")
    with pytest.raises(lactsim.ScenarioError, match="rtol"):
        lactsim.simulate(scenario, rtol=0.5)
    with pytest.raises(lactsim.ScenarioError, match="solver"):
        lactsim.simulate(scenario, solver="euler")
    with pytest.raises(lactsim.ScenarioError) as raised:
        lactsim.simulate(scenario, output_step_min=1e-6)
    assert raised.value.field == "output_step_min"


def test_simulation_error_is_a_lactsim_error():
    assert issubclass(lactsim.SimulationError, lactsim.LactsimError)
    assert issubclass(lactsim.SimulationError, RuntimeError)
    assert lactsim.SimulationError("x").exit_code == 3
