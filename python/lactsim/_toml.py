"""Writing a scenario given as a Python dict as TOML text, for the scenario loader.

Only what scenario files use: tables, arrays of tables, strings, booleans, integers,
floats and arrays of those. The loader then checks it as it checks a file.
"""

from __future__ import annotations

import json
import math
from typing import Any, List, Mapping

__all__ = ["dict_to_toml"]


def _key(name: str) -> str:
    text = str(name)
    if text and all(c.isalnum() or c in "_-" for c in text):
        return text
    return json.dumps(text)


def _value(value: Any, path: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)  # shortest text that reads back as the same double
    if hasattr(value, "item") and not isinstance(value, (list, tuple, dict)):  # a NumPy scalar
        return _value(value.item(), path)
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{_key(k)} = {_value(v, f'{path}.{k}')}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)) or hasattr(value, "tolist"):
        items = value.tolist() if hasattr(value, "tolist") else value
        return "[" + ", ".join(_value(v, f"{path}[{i}]") for i, v in enumerate(items)) + "]"
    raise TypeError(f"{path}: cannot write a {type(value).__name__} into a scenario")


def _is_table_array(value: Any) -> bool:
    return isinstance(value, (list, tuple)) and len(value) > 0 and all(isinstance(v, Mapping) for v in value)


def _emit_table(table: Mapping[str, Any], path: List[str], lines: List[str], header: str) -> None:
    if header:
        lines.append(header)
    nested = []
    for name, value in table.items():
        if isinstance(value, Mapping):
            nested.append((name, value, False))
        elif _is_table_array(value):
            nested.append((name, value, True))
        else:
            lines.append(f"{_key(name)} = {_value(value, '.'.join(path + [str(name)]))}")
    for name, value, is_array in nested:
        sub = path + [str(name)]
        dotted = ".".join(_key(p) for p in sub)
        if is_array:
            for item in value:
                _emit_table(item, sub, lines, f"\n[[{dotted}]]")
        else:
            _emit_table(value, sub, lines, f"\n[{dotted}]")


def dict_to_toml(scenario: Mapping[str, Any]) -> str:
    """The TOML text of a scenario given as nested dicts (as tomllib would read the file)."""
    if not isinstance(scenario, Mapping):
        raise TypeError(f"a scenario dict must be a mapping, not {type(scenario).__name__}")
    lines: List[str] = []
    _emit_table(scenario, [], lines, "")
    return "\n".join(lines).lstrip("\n") + "\n"
