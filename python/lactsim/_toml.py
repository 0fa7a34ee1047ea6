"""Writing a scenario given as a Python dict as TOML text, for the scenario loader.

Only what scenario files use: tables, arrays of tables, strings, booleans, integers,
floats and arrays of those. The loader then checks it as it checks a file.
"""

from __future__ import annotations

import math
import re
from typing import Any, List, Mapping

from .errors import ScenarioError

__all__ = ["dict_to_toml"]

#: what TOML allows in a bare key: ASCII letters, digits, '_' and '-' (str.isalnum() also
#: passes "é" or "²", which TOML then refuses)
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


class _Unwritable(Exception):
    """Text TOML cannot hold, at `path` (dotted keys) of the dict."""

    def __init__(self, path: str, detail: str) -> None:
        super().__init__(detail)
        self.path = path
        self.detail = detail


def _string(text: str, path: str) -> str:
    """`text` as a TOML basic string: quotes, backslashes and control characters (DEL too,
    which TOML forbids raw and JSON leaves raw) escaped; other characters as they are."""
    out = ['"']
    for c in text:
        code = ord(c)
        if c in '"\\':
            out.append("\\" + c)
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04X}")
        elif 0xD800 <= code <= 0xDFFF:  # a lone surrogate (e.g. from os.fsdecode) is no character
            shown_path = path.encode("ascii", "backslashreplace").decode("ascii")
            raise _Unwritable(shown_path, f"{ascii(text)} holds a lone surrogate U+{code:04X}, which TOML cannot hold")
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


def _key(name: Any, path: str = "") -> str:
    text = str(name)
    if _BARE_KEY.fullmatch(text):
        return text
    # No scenario key holds a control character, and the loader's message would print it raw
    # (invisible, or acted on by the terminal): named here, escaped, instead.
    if any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F or 0xD800 <= ord(c) <= 0xDFFF for c in text):
        shown = ascii(text)
        raise _Unwritable(f"{path}[{shown}]" if path else f"[{shown}]",
                          f"unknown key {shown}: it holds a control character or lone surrogate; scenario keys "
                          "are names such as duration_days (docs/scenario-format.md)")
    return _string(text, f"{path}.{text}" if path else text)


def _value(value: Any, path: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return _string(value, path)
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
        return "{" + ", ".join(f"{_key(k, path)} = {_value(v, f'{path}.{k}')}" for k, v in value.items()) + "}"
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
            lines.append(f"{_key(name, '.'.join(path))} = {_value(value, '.'.join(path + [str(name)]))}")
    for name, value, is_array in nested:
        sub = path + [str(name)]
        dotted = ".".join(_key(p, ".".join(str(q) for q in sub[:i])) for i, p in enumerate(sub))
        if is_array:
            for item in value:
                _emit_table(item, sub, lines, f"\n[[{dotted}]]")
        else:
            _emit_table(value, sub, lines, f"\n[{dotted}]")


def dict_to_toml(scenario: Mapping[str, Any], label: str = "<dict>") -> str:
    """The TOML text of a scenario given as nested dicts (as tomllib would read the file).

    Raises:
        ScenarioError: a key or string TOML cannot hold (a lone surrogate), located at ``label``
        TypeError: a value of a type no scenario holds
    """
    if not isinstance(scenario, Mapping):
        raise TypeError(f"a scenario dict must be a mapping, not {type(scenario).__name__}")
    lines: List[str] = []
    try:
        _emit_table(scenario, [], lines, "")
    except _Unwritable as problem:
        raise ScenarioError(f"{label}: {problem.path}: {problem.detail}", label, 0, 0, problem.path) from None
    return "\n".join(lines).lstrip("\n") + "\n"
