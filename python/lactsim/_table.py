"""Table: a dict of NumPy columns with units, convertible to a pandas DataFrame."""

from __future__ import annotations

from typing import Any, Dict, Mapping, Optional

import numpy as np

__all__ = ["Table"]


class Table(Dict[str, np.ndarray]):
    """Named columns of equal length, as a plain ``dict`` of 1-D NumPy arrays.

    Column names are those of the command line's CSV files (units are in the names and in
    :attr:`units`). ``table["milk_ml"]`` is a column; :meth:`row` one row;
    :meth:`to_pandas` a DataFrame (needs pandas, which lactsim does not require).
    """

    def __init__(self, columns: Mapping[str, Any], units: Optional[Mapping[str, str]] = None) -> None:
        super().__init__((name, np.asarray(values)) for name, values in columns.items())
        lengths = {len(values) for values in self.values()}
        if len(lengths) > 1:
            raise ValueError(f"columns differ in length: {sorted(lengths)}")
        #: unit of each column ("" for counts, indices and names)
        self.units: Dict[str, str] = dict(units) if units is not None else {}

    @property
    def columns(self) -> list:
        """Column names, in order."""
        return list(self.keys())

    @property
    def nrows(self) -> int:
        """Number of rows."""
        return len(next(iter(self.values()))) if self else 0

    def row(self, index: int) -> Dict[str, Any]:
        """Row ``index`` as {column: value}."""
        return {name: values[index] for name, values in self.items()}

    def to_pandas(self) -> Any:
        """The table as a pandas DataFrame (columns in order; units in ``DataFrame.attrs['units']``).

        Raises:
            ImportError: when pandas is not installed
        """
        import pandas  # optional dependency: imported only here

        frame = pandas.DataFrame({name: values for name, values in self.items()})
        frame.attrs["units"] = dict(self.units)
        return frame

    def __missing__(self, name: str) -> np.ndarray:
        raise KeyError(f"no column {name!r}; the columns are {', '.join(self.columns)}")

    def __repr__(self) -> str:
        return f"Table({self.nrows} rows: {', '.join(self.columns)})"

    def __str__(self) -> str:
        """The first and last rows, aligned, with units under the names (all rows when few)."""
        shown = list(range(self.nrows)) if self.nrows <= 12 else [*range(5), -1, *range(self.nrows - 5, self.nrows)]

        def text(value: Any) -> str:
            return f"{value:.6g}" if isinstance(value, (float, np.floating)) else str(value)

        header = [self.columns, [self.units.get(name, "") for name in self.columns]]
        body = [["..." for _ in self.columns] if i < 0 else [text(self[name][i]) for name in self.columns] for i in shown]
        lines = header + body
        widths = [max(len(line[k]) for line in lines) for k in range(len(self.columns))]
        rendered = ["  ".join(cell.rjust(width) for cell, width in zip(line, widths)) for line in lines]
        return "\n".join([repr(self), *rendered])
