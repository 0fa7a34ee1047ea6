"""Scenario loading and simulate(): the Python package gives the command line's numbers."""

from __future__ import annotations

import math
import tomllib

import numpy as np
import pytest

import lactsim
from conftest import SCENARIOS, SHIPPED, cell, read_csv, run_cli


def assert_table_equals_csv(table: lactsim.Table, rows, integer_columns=()):
    """Every cell of `table` is, written as the CLI writes it, the CSV's cell."""
    assert table.columns == list(rows[0].keys())
    assert table.nrows == len(rows)
    for name in table.columns:
        written = [str(int(v)) if name in integer_columns else cell(v) for v in table[name]]
        assert written == [row[name] for row in rows], name


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory):
    """`lactsim run` of every shipped scenario."""
    out = tmp_path_factory.mktemp("run")
    run_cli("run", *[SCENARIOS / name for name in SHIPPED], "--out", out, "--quiet")
    return out


@pytest.mark.parametrize("name", SHIPPED)
def test_daily_table_is_the_cli_daily_csv(cli_run, name):
    result = lactsim.simulate(lactsim.Scenario.from_file(SCENARIOS / name))
    rows = read_csv(cli_run / name.removesuffix(".toml") / "daily.csv")
    assert_table_equals_csv(result.daily, rows, integer_columns=("day", "feeds", "pumps", "massages"))


def test_timeseries_table_is_the_cli_timeseries_csv(cli_run):
    result = lactsim.simulate(lactsim.Scenario.from_file(SCENARIOS / "seed_case_massage.toml"))
    rows = read_csv(cli_run / "seed_case_massage" / "timeseries.csv")
    assert_table_equals_csv(result.timeseries, rows,
                            integer_columns=("day", "feeding", "pre_feed", "pumping", "massage"))
    assert result.timeseries.units["oxytocin_uU_ml"] == "uU/mL"
    assert result.timeseries["day"].dtype == np.int64


def test_output_step_and_solver_reach_the_library(tmp_path):
    scenario = lactsim.Scenario.from_file(SCENARIOS / "seed_case_control.toml")
    run_cli("run", SCENARIOS / "seed_case_control.toml", "--out", tmp_path, "--quiet", "--output-step-min", "30",
            "--solver", "dopri5", "--rtol", "1e-7", "--atol", "1e-9")
    result = lactsim.simulate(scenario, solver="dopri5", rtol=1e-7, atol=1e-9, output_step_min=30)
    assert result.stats["solver"] == "dopri5"
    assert_table_equals_csv(result.timeseries, read_csv(tmp_path / "seed_case_control" / "timeseries.csv"),
                            integer_columns=("day", "feeding", "pre_feed", "pumping", "massage"))


def test_overrides_equal_the_cli_set(tmp_path):
    run_cli("run", SCENARIOS / "seed_case_massage.toml", "--out", tmp_path, "--quiet",
            "--set", "massage_ot_rise_uU_ml=0", "--set", "massage_relief_half_life_h=6.5")
    rows = read_csv(tmp_path / "seed_case_massage" / "daily.csv")
    base = lactsim.Scenario.from_file(SCENARIOS / "seed_case_massage.toml")
    for scenario in (base.with_parameters(massage_ot_rise_uU_ml=0, massage_relief_half_life_h=6.5),
                     lactsim.Scenario.from_file(SCENARIOS / "seed_case_massage.toml",
                                                overrides={"massage_ot_rise_uU_ml": 0,
                                                           "massage_relief_half_life_h": 6.5})):
        assert scenario.parameters["massage_relief_half_life_h"] == 6.5
        daily = lactsim.simulate(scenario).daily
        assert [cell(v) for v in daily["milk_ml"]] == [r["milk_ml"] for r in rows]
    # the original is unchanged
    assert base.parameters["massage_relief_half_life_h"] != 6.5


def test_from_dict_and_from_toml_load_what_the_file_holds():
    path = SCENARIOS / "seed_case_massage.toml"
    from_file = lactsim.simulate(lactsim.Scenario.from_file(path)).daily["milk_ml"]
    with open(path, "rb") as f:
        as_dict = tomllib.load(f)
    from_dict = lactsim.simulate(lactsim.Scenario.from_dict(as_dict)).daily["milk_ml"]
    from_text = lactsim.simulate(lactsim.Scenario.from_toml(path.read_text())).daily["milk_ml"]
    assert np.array_equal(from_file, from_dict)
    assert np.array_equal(from_file, from_text)


def test_a_massage_schedule_relative_to_feeds_loads_and_gives_its_sessions_per_day():
    text = """
[scenario]
name = "relative"
duration_days = 4
[delivery]
mode = "caesarean_emergency"
[[feeds]]
every_h = 3
first_h = 2
duration_min = 15
[[massage]]
before_each_feed_min = 30
every_nth_feed = 4
max_per_day = 1
days = [1, 2, 3]
duration_min = 15
"""
    # Every 4th feed starts at 2, 14, 26, ... h; each session starts 45 min earlier (1.25, 13.25,
    # 25.25, ... h), two a day, of which max_per_day keeps one on days 1-3 and days drops day 4.
    daily = lactsim.simulate(lactsim.Scenario.from_toml(text, label="relative.toml")).daily
    assert [int(n) for n in daily["massages"]] == [1, 1, 1, 0]
    assert [int(n) for n in daily["feeds"]] == [8, 8, 8, 8]


def test_scenario_properties():
    s = lactsim.Scenario.from_file(SCENARIOS / "seed_case_massage.toml")
    assert s.delivery_mode == "caesarean_planned"
    assert s.duration_days == 7 and s.horizon_h == 168.0
    assert len(s.sha256) == 64
    assert set(s.parameters) == set(lactsim.parameters()["name"])


def test_endpoints_are_a_sweep_row():
    s = lactsim.Scenario.from_file(SCENARIOS / "seed_case_massage.toml")
    e = lactsim.endpoints(s)
    assert list(e)[:2] == ["onset_h", "milk_day1_ml"]
    summary = lactsim.simulate(s).endpoints
    # the fast path agrees with the full run within the documented endpoint tolerance (docs/performance.md)
    assert math.isclose(e["milk_day3_ml"], summary["milk_transferred_ml_by_day"][2], rel_tol=1e-3)
    assert math.isclose(e["onset_h"], summary["onset_h"], rel_tol=1e-3)


def test_first_colostrum_and_perceived_onset_are_endpoints_of_both_paths():
    # Threshold 0: the first attempt shows colostrum. Feeds start at 2 h and last 15 min; the first
    # attempt starts 30 min after the first feed ends: 2.75 h (docs/model.md §Observation models).
    s = lactsim.Scenario.from_file(SCENARIOS / "comparisons" / "rofiah2016_mobilisation.toml").with_parameters(
        colostrum_visible_threshold_ml=0.0)
    e, summary = lactsim.endpoints(s), lactsim.simulate(s, output_step_min=0).endpoints
    assert e["first_colostrum_time_h"] == summary["first_colostrum_time_h"] == 2.75
    assert math.isclose(e["perceived_onset_time_h"], summary["perceived_onset_time_h"], rel_tol=1e-3)
    # No expression session at all: absent (NaN in the endpoint row, None in the summary).
    plain = lactsim.Scenario.from_file(SCENARIOS / "seed_case_control.toml")
    assert math.isnan(lactsim.endpoints(plain)["first_colostrum_time_h"])
    assert lactsim.simulate(plain, output_step_min=0).endpoints["first_colostrum_time_h"] is None


def test_parameters_are_the_cli_params_csv(tmp_path):
    done = run_cli("params", "--format", "csv")
    lines = done.stdout.splitlines()
    path = tmp_path / "params.csv"
    path.write_text(done.stdout)
    rows = read_csv(path)
    table = lactsim.parameters()
    assert table.columns == lines[0].split(",")
    assert list(table["name"]) == [r["name"] for r in rows]
    assert [cell(v) for v in table["upper_bound"]] == [r["upper_bound"] for r in rows]
    assert [cell(v) for v in table["default_caesarean_planned"]] == [r["default_caesarean_planned"] for r in rows]
    # the short names figures use, e.g. for axes: "Massage relief half-life (h)"
    assert list(table["display_name"]) == [r["display_name"] for r in rows]
    assert dict(zip(table["name"], table["display_name"]))["massage_relief_half_life_h"] == "Massage relief half-life"


def test_table_to_pandas():
    pandas = pytest.importorskip("pandas")
    daily = lactsim.simulate(lactsim.Scenario.from_file(SCENARIOS / "seed_case_control.toml")).daily
    frame = daily.to_pandas()
    assert isinstance(frame, pandas.DataFrame)
    assert list(frame.columns) == daily.columns
    assert frame["milk_ml"].tolist() == daily["milk_ml"].tolist()
    assert frame.attrs["units"]["milk_ml"] == "mL"


def test_works_without_pandas(monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "pandas", None)  # import pandas now fails
    daily = lactsim.simulate(lactsim.Scenario.from_file(SCENARIOS / "seed_case_control.toml")).daily
    assert daily.nrows == 7
    with pytest.raises(ImportError):
        daily.to_pandas()


def test_a_path_is_accepted_where_a_scenario_is_and_anything_else_is_a_type_error():
    path = SCENARIOS / "seed_case_massage.toml"
    from_path = lactsim.simulate(str(path), output_step_min=0)
    from_scenario = lactsim.simulate(lactsim.Scenario.from_file(path), output_step_min=0)
    assert np.array_equal(from_path.daily["milk_ml"], from_scenario.daily["milk_ml"])
    by_path, by_scenario = lactsim.endpoints(path), lactsim.endpoints(lactsim.Scenario.from_file(path))
    # NaN (no expression session: no first colostrum) is not equal to itself; compare it as absent.
    assert list(by_path) == list(by_scenario)
    assert all(a == b or (math.isnan(a) and math.isnan(b)) for a, b in zip(by_path.values(), by_scenario.values()))
    with pytest.raises(TypeError, match="lactsim.Scenario or a path"):
        lactsim.simulate(42)


def test_a_table_prints_its_values_and_a_missing_column_names_the_columns():
    daily = lactsim.simulate(SCENARIOS / "seed_case_massage.toml", output_step_min=0).daily
    shown = str(daily)
    assert "milk_ml" in shown
    assert f"{daily['milk_ml'][2]:.6g}" in shown  # day 3's milk, as printed
    with pytest.raises(KeyError, match="milk_ml"):
        daily["milk_day3_ml"]
