"""scripts/validation_table.py's check: what makes CI fail when the model leaves a published band."""

import importlib.util
import os
import pathlib
import sys

import pytest

SOURCE = pathlib.Path(os.environ.get("LACTSIM_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))


@pytest.fixture(scope="module")
def table():
    spec = importlib.util.spec_from_file_location("validation_table", SOURCE / "scripts" / "validation_table.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def committed(table):
    values = {row.key: row.model(table.Cache()) for row in table.ROWS}
    return values, table.render(values)


def test_the_committed_model_passes(table, committed):
    values, text = committed
    assert table.check(values, text, "validation.md") == []


def test_a_guarded_row_outside_its_band_fails(table, committed):
    values, text = committed
    moved = dict(values, saint_day1=3 * 37.1)  # Saint's day-1 mean is 37.1 g; the band is ±50%
    problems = table.check(moved, table.render(moved), "validation.md")
    assert len(problems) == 1 and problems[0].startswith("saint_day1: model 111.3 g/24 h is outside the band")


def test_an_unguarded_row_outside_its_band_is_reported_but_passes(table, committed):
    values, _ = committed
    moved = dict(values, saint_days14_28=100.0)
    text = table.render(moved)
    assert table.check(moved, text, "validation.md") == []
    assert "- `saint_days14_28`:" in text


def test_a_stale_table_fails(table, committed):
    values, text = committed
    moved = dict(values, evans_day3=values["evans_day3"] * 1.01)  # still inside 0.50-0.95
    problems = table.check(moved, text, "validation.md")
    assert problems == [f"evans_day3: model value {table.fmt(moved['evans_day3'])} differs from "
                        f"{table.fmt(values['evans_day3'])} in validation.md: regenerate with --write and review the change"]
