"""The package's surface: stubs cover the extension, public functions are documented."""

from __future__ import annotations

import ast
import inspect
import pathlib

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
