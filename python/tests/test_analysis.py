"""Sweeps, populations, comparisons, sensitivity and fits: the command line's rows, in memory."""

from __future__ import annotations

import json
import math
import os
import signal

import numpy as np
import pytest

import lactsim
from conftest import SCENARIOS, cell, read_csv, run_cli

SEED = SCENARIOS / "seed_case_massage.toml"
RANGES = {"massage_relief_half_life_h": (0.5, 12.0, "log"), "massage_pain_relief_fraction": (0.0, 1.0)}
VARY = ["--vary", "massage_relief_half_life_h=0.5:12:log", "--vary", "massage_pain_relief_fraction=0:1"]


def assert_rows_equal_csv(table: lactsim.Table, rows):
    assert table.columns == list(rows[0].keys())
    assert table.nrows == len(rows)
    for name in table.columns:
        if name in ("status", "error", "endpoint", "scenario", "parameter", "index"):
            written = [str(v) for v in table[name]]
        elif name in ("sample", "n_requested", "n_included", "n_failed"):
            written = [str(int(v)) for v in table[name]]
        else:
            written = [cell(v) for v in table[name]]
        assert written == [row[name] for row in rows], name


@pytest.fixture(scope="module")
def scenario():
    return lactsim.Scenario.from_file(SEED)


@pytest.mark.parametrize("kind", ["lhs", "sobol", "grid"])
def test_sweep_rows_are_the_cli_sweep_csv(tmp_path, scenario, kind):
    out = tmp_path / "sweep.csv"
    run_cli("sweep", SEED, *VARY, "--design", kind, "-n", "49", "--out", out, "--quiet", "-j", "2")
    design = {"lhs": lactsim.Design.lhs, "sobol": lactsim.Design.sobol, "grid": lactsim.Design.grid}[kind](RANGES, 49)
    result = lactsim.sweep(scenario, design, threads=2)
    assert_rows_equal_csv(result.rows, read_csv(out))
    assert result.samples == design.size


def test_sweep_of_an_array_is_the_cli_sweep_of_that_file(tmp_path, scenario):
    rng = np.random.default_rng(7)
    values = np.column_stack([rng.uniform(0.5, 12, 40), rng.uniform(0, 1, 40)])
    values[3, 1] = 1.5  # outside the parameter's bounds: a failed row, as in a design file
    names = list(RANGES)
    design_file = tmp_path / "design.csv"
    design_file.write_text(",".join(names) + "\n" + "".join(f"{a!r},{b!r}\n" for a, b in values))
    out = tmp_path / "sweep.csv"
    run_cli("sweep", SEED, "--design", f"file:{design_file}", "--out", out, "--quiet")
    rows = read_csv(out)
    assert rows[3]["status"] == "failed"
    for samples in (values, dict(zip(names, values.T)), lactsim.Design.from_csv(design_file)):
        result = lactsim.sweep(scenario, samples, names=names if samples is values else None)
        assert_rows_equal_csv(result.rows, rows)
        assert result.failed == 1


def test_sweep_of_a_dataframe(scenario):
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame({"massage_relief_half_life_h": [1.0, 4.0], "massage_pain_relief_fraction": [0.2, 0.8]})
    rows = lactsim.sweep(scenario, frame).rows
    by_array = lactsim.sweep(scenario, frame.to_numpy(), names=list(frame.columns)).rows
    assert np.array_equal(rows["milk_day3_ml"], by_array["milk_day3_ml"])


def test_sweep_rows_do_not_depend_on_threads_or_blocks(scenario):
    design = lactsim.Design.lhs(RANGES, 300)
    one = lactsim.sweep(scenario, design, threads=1).rows
    two = lactsim.sweep(scenario, design, threads=2, block_size=37).rows
    for name in one.columns:
        assert np.array_equal(one[name], two[name]) or np.array_equal(one[name], two[name], equal_nan=True), name


def test_streamed_blocks_are_the_rows_in_order(scenario):
    design = lactsim.Design.sobol(RANGES, 100)
    blocks = []
    result = lactsim.sweep(scenario, design, block_size=32, on_rows=blocks.append)
    assert result.rows is None and result.samples == 100
    assert [b.nrows for b in blocks] == [32, 32, 32, 4]
    whole = lactsim.sweep(scenario, design).rows
    assert np.array_equal(np.concatenate([b["milk_day3_ml"] for b in blocks]), whole["milk_day3_ml"])
    assert np.array_equal(np.concatenate([b["sample"] for b in blocks]), np.arange(100))


def test_an_exception_in_the_callback_stops_the_sweep(scenario):
    seen = []

    def on_rows(block):
        seen.append(block.nrows)
        raise RuntimeError("enough")

    with pytest.raises(RuntimeError, match="enough"):
        lactsim.sweep(scenario, lactsim.Design.lhs(RANGES, 200), block_size=20, on_rows=on_rows)
    assert seen == [20]  # no block after the one that raised


def test_ctrl_c_interrupts_a_sweep(scenario):
    done = []

    def progress(finished, total):
        done.append(finished)
        if len(done) == 2:
            os.kill(os.getpid(), signal.SIGINT)  # as Ctrl-C: Python's handler raises KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        lactsim.sweep(scenario, lactsim.Design.lhs(RANGES, 400), block_size=20, progress=progress)
    assert done[-1] < 400
    # the module is usable afterwards
    assert lactsim.sweep(scenario, lactsim.Design.lhs(RANGES, 4)).samples == 4


def test_ctrl_c_from_outside_stops_a_sweep_at_a_block_boundary(scenario):
    # Ctrl-C while the sweep runs with the GIL released: the SIGINT comes from another thread
    # (started once the first block is done), and the sweep must stop at a later block
    # boundary instead of running all 200,000 samples.
    import threading

    done = []
    timers = []

    def progress(finished, total):
        done.append(finished)
        if not timers:
            timers.append(threading.Timer(0.2, lambda: os.kill(os.getpid(), signal.SIGINT)))
            timers[0].start()

    try:
        with pytest.raises(KeyboardInterrupt):
            lactsim.sweep(scenario, lactsim.Design.lhs(RANGES, 200000), block_size=64, threads=2, progress=progress)
    finally:
        for timer in timers:
            timer.cancel()
    assert done and done[-1] < 200000


def test_population_and_compare_are_the_cli_compare_csv(tmp_path):
    files = [SCENARIOS / "seed_case_control.toml", SCENARIOS / "seed_case_massage.toml"]
    out = tmp_path / "compare.csv"
    population_toml = "\n[population]\nsize = 40\nseed = 3\n\n[population.variability]\nactivation_rate_per_h = 0.3\n"
    texts = [f.read_text() + population_toml for f in files]
    population_files = []
    for f, text in zip(files, texts):
        path = tmp_path / f.name
        path.write_text(text)
        population_files.append(path)
    run_cli("compare", *population_files, "--out", out, "--quiet")
    scenarios = [lactsim.Scenario.from_file(p) for p in population_files]
    table = lactsim.compare(scenarios, threads=2)
    assert_rows_equal_csv(table, read_csv(out))
    mothers = lactsim.population(scenarios[0])
    assert mothers.nrows == 40 and list(mothers["mother"]) == list(range(40))
    median = np.nanmedian(mothers["milk_day3_ml"])
    row = [i for i in range(table.nrows) if table["endpoint"][i] == "milk_day3_ml" and i % 2 == 0][0]
    assert table["population_p50"][row] == pytest.approx(median, rel=1e-12)


def test_population_without_a_table_runs_the_calibrated_default_as_the_cli_does(tmp_path):
    # The CLI's choice (scenario table, else scenarios/populations/first_week.toml), in both calls.
    mothers = lactsim.population(lactsim.Scenario.from_file(SEED))
    shipped = lactsim.shipped_population_path()
    assert mothers.nrows == int(next(line.split("=")[1] for line in shipped.read_text().splitlines()
                                     if line.startswith("size")))
    run_cli("population", SEED, "--out", tmp_path / "cli", "--quiet")
    study = lactsim.population_study(lactsim.Scenario.from_file(SEED), tmp_path / "py")
    assert (tmp_path / "py" / "summary.csv").read_text() == (tmp_path / "cli" / "summary.csv").read_text()
    assert study.requested == mothers.nrows


def test_compare_with_a_population_file_is_the_cli_compare_with_that_file(tmp_path):
    pop = tmp_path / "pop.toml"
    pop.write_text("[population]\nsize = 30\nseed = 4\n[population.variability]\nactivation_rate_per_h = 0.4\n")
    files = [SCENARIOS / "seed_case_control.toml", SCENARIOS / "seed_case_massage.toml"]
    run_cli("compare", *files, "--population", pop, "--out", tmp_path / "cli.csv", "--quiet")
    table = lactsim.compare([lactsim.Scenario.from_file(f) for f in files], population=pop, threads=2)
    assert_rows_equal_csv(table, read_csv(tmp_path / "cli.csv"))
    with pytest.raises(lactsim.ScenarioError, match="population"):
        lactsim.compare([lactsim.Scenario.from_file(f) for f in files], population=pop, use_population=False)


def test_population_files_are_not_listed_as_scenarios():
    assert not any(name.startswith("populations/") for name in lactsim.shipped_scenarios())
    assert lactsim.shipped_population_path().name == "first_week.toml"
    with pytest.raises(lactsim.ScenarioError, match="first_week"):
        lactsim.shipped_population_path("nope")


@pytest.mark.parametrize("method", ["sobol", "morris"])
def test_sensitivity_is_the_cli_sensitivity_csv(tmp_path, scenario, method):
    out = tmp_path / "sensitivity.csv"
    run_cli("sensitivity", SEED, "--method", method, "-n", "32", *VARY, "--out", out, "--quiet", "--bootstrap", "50")
    result = lactsim.sensitivity(scenario, RANGES, method=method, n=32, bootstrap=50, threads=2)
    assert_rows_equal_csv(result.indices, read_csv(out))
    assert result.method == method


def test_fit_is_the_cli_fit(tmp_path):
    path = SCENARIOS / "reference_vaginal.toml"
    run_cli("fit", path, "--free", "activation_rate_per_h", "--out", tmp_path / "fit", "--quiet")
    with open(tmp_path / "fit" / "fit.json") as f:
        report = json.load(f)
    result = lactsim.fit(lactsim.Scenario.from_file(path), "activation_rate_per_h")
    assert not result.interrupted
    assert result.chi_square == pytest.approx(report["chi_square"], rel=1e-9)
    estimate = report["estimates"][0]["estimate"]
    assert result.estimate["activation_rate_per_h"] == pytest.approx(estimate, rel=1e-9)


def test_fit_with_observations_is_the_cli_fit_of_that_subject(tmp_path):
    cases = SCENARIOS / "case_series"
    run_cli("fit", cases / "mother_A.toml", "--observations", cases / "cases.csv", "--subject", "mother_A",
            "--free", "milk_max_synthesis_ml_h", "--out", tmp_path / "fit", "--quiet")
    rows = read_csv(tmp_path / "fit" / "per_subject.csv")
    assert [row["subject"] for row in rows] == ["mother_A"]
    # The case table holds mother_B too: a single scenario takes its own subject's rows only.
    result = lactsim.fit(lactsim.Scenario.from_file(cases / "mother_A.toml"), "milk_max_synthesis_ml_h",
                         observations=cases / "cases.csv")
    assert result.residuals == int(rows[0]["points"]) == 5  # 3 weights, day-3 milk, first colostrum
    assert result.estimate["milk_max_synthesis_ml_h"] == pytest.approx(float(rows[0]["estimate"]), rel=1e-9)
    with pytest.raises(lactsim.errors.LactsimError, match="observations"):
        lactsim.fit([lactsim.Scenario.from_file(cases / "mother_A.toml"), lactsim.Scenario.from_file(cases / "mother_B.toml")],
                    "milk_max_synthesis_ml_h", observations=cases / "cases.csv")


def test_population_study_is_the_cli_population_folder(tmp_path):
    pop = tmp_path / "pop.toml"
    pop.write_text("[population]\nsize = 30\nseed = 4\n[population.variability]\nactivation_rate_per_h = 0.4\n")
    run_cli("population", SEED, "--population", pop, "--out", tmp_path / "cli", "--quiet")
    result = lactsim.population_study(lactsim.Scenario.from_file(SEED), tmp_path / "py", population=pop, threads=2)
    assert (result.requested, result.included, result.failed) == (30, 30, 0)
    for name in ("mothers.csv", "summary.csv"):
        assert (tmp_path / "py" / name).read_text() == (tmp_path / "cli" / name).read_text(), name
    assert result.mothers.nrows == 30 and list(result.mothers["mother_id"]) == list(range(30))
    assert result.mothers["activation_rate_per_h"].dtype == float
    rows = read_csv(tmp_path / "cli" / "summary.csv")
    assert [str(v) for v in result.summary["statistic"]] == [row["statistic"] for row in rows]
    late = [i for i in range(result.summary.nrows) if result.summary["statistic"][i] == "fraction_after_72h"][0]
    assert result.summary["interval"][late] == "wilson"
    assert result.summary["lower_95"][late] <= result.summary["value"][late] <= result.summary["upper_95"][late]
    # The same library call writes the manifest (docs/outputs.md, "manifest.json"), typed.
    manifest = json.loads((tmp_path / "py" / "manifest.json").read_text())
    assert manifest["counts"] == {"unit": "mothers", "requested": 30, "ok": 30, "failed": 0}
    assert manifest["seeds"] == {"population": 4}
    assert manifest["command_line"] == [] and manifest["solver"]["name"] == "cascade"


def test_population_study_argument_type_errors_name_the_argument_and_write_nothing(tmp_path):
    pop = tmp_path / "pop.toml"
    pop.write_text("[population]\nsize = 3\nseed = 4\n[population.variability]\nactivation_rate_per_h = 0.4\n")
    scenario = lactsim.Scenario.from_file(SEED)
    for keyword, value in (("atol", "1e-8"), ("rtol", [1e-6]), ("solver", 5), ("progress", 5)):
        with pytest.raises(TypeError, match=f"^{keyword}"):
            lactsim.population_study(scenario, tmp_path / "out", population=pop, **{keyword: value})
        assert not (tmp_path / "out").exists(), keyword


def test_sweep_over_a_schedule_variable_is_the_scenario_files_with_that_value(tmp_path, scenario):
    # feeds.every_h given as a column of values: each row is the scenario file written with
    # that interval, loaded and run on its own (docs/analyses.md, "Schedule and covariate variables").
    result = lactsim.sweep(scenario, {"feeds.every_h": [2.0, 3.0, 4.0]})
    assert result.failed == 0
    text = SEED.read_text()
    assert "every_h = 3.0\n" in text
    for row, every_h in enumerate([2.0, 3.0, 4.0]):
        path = tmp_path / f"every_{row}.toml"
        path.write_text(text.replace("every_h = 3.0\n", f"every_h = {every_h}\n", 1))
        expected = lactsim.endpoints(path)
        for name, value in expected.items():
            assert result.rows[name][row] == value or (math.isnan(value) and math.isnan(result.rows[name][row])), name


def test_the_shipped_case_table_travels_with_the_shipped_case_series():
    # An installed package has no source tree: the worked example's table must sit beside its mothers.
    table = lactsim.shipped_scenario_path("case_series/mother_A").parent / "cases.csv"
    assert table.is_file()
    result = lactsim.fit(lactsim.shipped_scenario("case_series/mother_A"), "milk_max_synthesis_ml_h",
                         observations=table)
    assert result.residuals == 5  # 3 weights, day-3 milk, first colostrum
