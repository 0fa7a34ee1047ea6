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


# --- arguments: the wrong type is a TypeError, a bad value a ScenarioError (a ValueError),
# --- each naming the Python keyword; both before any work is done.

RANGES = {"massage_pain_relief_fraction": (0.0, 1.0)}


@pytest.fixture(scope="module")
def control():
    return lactsim.Scenario.from_file(SCENARIOS / "seed_case_control.toml")


@pytest.mark.parametrize("call, keyword", [
    (lambda s: lactsim.simulate(s, solver=5), "solver"),
    (lambda s: lactsim.simulate(s, rtol="1e-6"), "rtol"),
    (lambda s: lactsim.simulate(s, output_step_min="5"), "output_step_min"),
    (lambda s: lactsim.endpoints(s, atol=[1e-8]), "atol"),
    (lambda s: lactsim.sweep(s, lactsim.Design.lhs(RANGES, 4), threads="2"), "threads"),
    (lambda s: lactsim.sweep(s, lactsim.Design.lhs(RANGES, 4), block_size=2.5), "block_size"),
    (lambda s: lactsim.sweep(s, lactsim.Design.lhs(RANGES, 4), progress=5), "progress"),
    (lambda s: lactsim.sweep(s, lactsim.Design.lhs(RANGES, 4), on_rows="print"), "on_rows"),
    (lambda s: lactsim.Design.lhs(RANGES, 2.5), "n"),
    (lambda s: lactsim.Design.lhs(RANGES, True), "n"),
    (lambda s: lactsim.Design.lhs(RANGES, 4, seed="1"), "seed"),
    (lambda s: lactsim.population(s, threads=1.0), "threads"),
    (lambda s: lactsim.sensitivity(s, RANGES, bootstrap=None), "bootstrap"),
    (lambda s: lactsim.fit(s, "milk_storage_capacity_ml", default_cv="0.2"), "default_cv"),
    (lambda s: s.with_parameters(pain_peak_nrs="5"), "pain_peak_nrs"),
    (lambda s: lactsim.sweep(s, "massage_pain_relief_fraction=0:1"), "samples"),
    (lambda s: lactsim.sweep(s, [["a", "b"]], names=["pain_peak_nrs", "pain_peak_h"]), "samples"),
    (lambda s: lactsim.sweep(s, {"pain_peak_nrs": ["x"]}), "samples['pain_peak_nrs']"),
    (lambda s: lactsim.Scenario.from_file(SCENARIOS / "seed_case_control.toml", overrides={"pain_peak_nrs": "5"}),
     "overrides['pain_peak_nrs']"),
])
def test_an_argument_of_the_wrong_type_is_a_type_error_naming_it(control, call, keyword):
    with pytest.raises(TypeError) as raised:
        call(control)
    assert str(raised.value).startswith(keyword + " must be "), raised.value


@pytest.mark.parametrize("call, keyword", [
    (lambda s: lactsim.sweep(s, lactsim.Design.lhs(RANGES, 4), threads=-1), "threads"),
    (lambda s: lactsim.sweep(s, lactsim.Design.lhs(RANGES, 4), threads=10**6), "threads"),
    (lambda s: lactsim.sweep(s, lactsim.Design.lhs(RANGES, 4), block_size=0), "block_size"),
    (lambda s: lactsim.sweep(s, lactsim.Design.lhs(RANGES, 4), block_size=-3), "block_size"),
    (lambda s: lactsim.Design.lhs(RANGES, 0), "n"),
    (lambda s: lactsim.Design.grid(RANGES, -5), "n"),
    (lambda s: lactsim.Design.lhs(RANGES, 4, seed=-1), "seed"),
    (lambda s: lactsim.sweep(s, [1.0, 2.0], names=["pain_peak_nrs", "pain_peak_h"]), "samples"),  # 1-D
    (lambda s: lactsim.sweep(s, [[1.0, 2.0]]), "names"),
    (lambda s: lactsim.sweep(s, [[1.0, 2.0]], names=["pain_peak_nrs"]), "names"),
    # library checks, restated with the Python keyword (the library's argument in brackets)
    (lambda s: lactsim.Design.from_samples({"no_such_parameter": [1.0]}), "names"),  # parameter_names
    (lambda s: lactsim.sensitivity(s, RANGES, method="morris", n=1, levels=3), "levels"),  # morris_levels
    (lambda s: lactsim.fit(s, []), "free"),  # free_names
    (lambda s: lactsim.simulate(s, output_step_min=-1.0), "output_step_min"),
    (lambda s: lactsim.simulate(s, solver="euler"), "solver"),
    (lambda s: lactsim.simulate(s, rtol=0.5), "rtol"),
    (lambda s: lactsim.endpoints(s, atol=-1.0), "atol"),
])
def test_a_bad_argument_value_is_a_scenario_error_naming_it(control, call, keyword):
    with pytest.raises(lactsim.ScenarioError) as raised:
        call(control)
    error = raised.value
    assert isinstance(error, ValueError)
    assert (error.file, error.field) == ("<arguments>", keyword)
    assert str(error).startswith(f"<arguments>: {keyword}: "), error


def test_python_overrides_are_located_where_the_library_locates_arguments(control):
    assert control.with_parameters(pain_peak_nrs=5.0).overrides[-1] == ("pain_peak_nrs", 5.0, "<arguments>")
    with pytest.raises(lactsim.ScenarioError) as raised:
        control.with_parameters(activation_rate_per_h=-1.0)
    assert (raised.value.file, raised.value.field) == ("<arguments>", "parameters.activation_rate_per_h")


# --- Scenario.from_dict: keys TOML would refuse (or the loader would print raw) are named


DICT = {"scenario": {"name": "x", "duration_days": 1}, "delivery": {"mode": "vaginal"}}


def with_key(table, key):
    scenario = {name: dict(value) for name, value in DICT.items()}
    scenario[table][key] = 2
    return scenario


@pytest.mark.parametrize("key", ["dur\x7fation", "dur\x85ation", "dur\nation", "dur\ud800ation"])
def test_from_dict_names_a_key_holding_a_control_character(key):
    with pytest.raises(lactsim.ScenarioError) as raised:
        lactsim.Scenario.from_dict(with_key("scenario", key), label="study")
    error = raised.value
    assert (error.file, error.field) == ("study", f"scenario[{ascii(key)}]")
    assert f"unknown key {ascii(key)}" in str(error)
    assert str(error).isprintable()


def test_from_dict_non_ascii_key_is_the_loaders_unknown_key_not_a_toml_error():
    with pytest.raises(lactsim.ScenarioError) as raised:
        lactsim.Scenario.from_dict(with_key("scenario", "durée"), label="study")
    assert raised.value.field == "scenario.durée"
    assert "unknown key 'durée'" in str(raised.value)
    assert "malformed TOML" not in str(raised.value)


def test_from_dict_strings_keep_del_quotes_backslashes_and_non_ascii():
    scenario = {name: dict(value) for name, value in DICT.items()}
    scenario["scenario"]["name"] = 'Ibu \x7f "Siti" \\ 母乳'
    assert lactsim.Scenario.from_dict(scenario).name == 'Ibu \x7f "Siti" \\ 母乳'


def test_flags_must_be_booleans_not_truthy_strings(tmp_path):
    # resume="no" would have been read as True and continued a partial study
    scenario = lactsim.shipped_scenario("seed_case_control")
    with pytest.raises(TypeError, match="^resume must be True or False"):
        lactsim.population_study(scenario, tmp_path / "out", resume="no")
    assert not (tmp_path / "out").exists()
    with pytest.raises(TypeError, match="^use_population must be True or False"):
        lactsim.compare([scenario, scenario], use_population="yes")
    with pytest.raises(TypeError, match="^profile must be True or False"):
        lactsim.fit(lactsim.shipped_scenario("reference_vaginal"), "activation_rate_per_h", profile=1)
