"""The package's surface: stubs cover the extension, public functions are documented."""

from __future__ import annotations

import ast
import inspect
import pathlib

import pytest

import lactsim
from lactsim import _lactsim


def test_stubs_declare_every_function_and_class_of_the_extension():
    stub = pathlib.Path(lactsim.__file__).with_name("_lactsim.pyi")
    body = ast.parse(stub.read_text()).body
    declared = {node.name for node in body if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
    declared |= {node.target.id for node in body if isinstance(node, ast.AnnAssign)}  # constants
    exported = {name for name in dir(_lactsim) if not name.startswith("_")}
    assert exported == declared


def test_every_public_name_has_a_docstring():
    for name in lactsim.__all__:
        obj = getattr(lactsim, name)
        assert inspect.getdoc(obj), name
        if inspect.isclass(obj):
            for member_name, member in vars(obj).items():
                if not member_name.startswith("_") and (callable(member) or isinstance(member, property)):
                    assert inspect.getdoc(member), f"{name}.{member_name}"


def test_package_is_typed():
    assert pathlib.Path(lactsim.__file__).with_name("py.typed").exists()


def test_the_shipped_scenarios_come_with_the_package():
    from conftest import SCENARIOS  # the source tree's scenarios/

    in_source = sorted(p.relative_to(SCENARIOS).with_suffix("").as_posix() for p in SCENARIOS.rglob("*.toml")
                       if p.parent.name != "populations")  # population files: shipped_population_path
    assert lactsim.shipped_scenarios() == in_source
    for name in lactsim.shipped_scenarios():
        lactsim.shipped_scenario(name)  # every name listed loads as a scenario
    assert "seed_case_massage" in in_source and "calibration/saint1984_vaginal" in in_source
    package_dir = pathlib.Path(lactsim.__file__).resolve().parent
    for name in in_source:
        path = lactsim.shipped_scenario_path(name)
        assert package_dir in path.parents, path  # inside the package, not the source tree
        assert path.read_bytes() == (SCENARIOS / f"{name}.toml").read_bytes(), name
    massage = lactsim.shipped_scenario("seed_case_massage", overrides={"massage_ot_rise_uU_ml": 0.0})
    assert massage.sha256 == lactsim.Scenario.from_file(SCENARIOS / "seed_case_massage.toml").sha256
    assert massage.parameters["massage_ot_rise_uU_ml"] == 0.0


def test_an_unknown_shipped_scenario_is_named_with_the_list():
    with pytest.raises(lactsim.ScenarioError) as raised:
        lactsim.shipped_scenario("seed_case")
    assert (raised.value.file, raised.value.field) == ("<arguments>", "name")
    assert "no shipped scenario 'seed_case'" in str(raised.value) and "seed_case_massage" in str(raised.value)
    with pytest.raises(TypeError):
        lactsim.shipped_scenario_path(None)
