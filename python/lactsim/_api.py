"""The public functions and classes of lactsim (re-exported by the package)."""

from __future__ import annotations

import contextlib
import numbers
import os
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np

from . import _lactsim
from ._table import Table
from ._toml import dict_to_toml
from .errors import ScenarioError

__all__ = [
    "Design",
    "FitResult",
    "PopulationStudyResult",
    "Scenario",
    "SensitivityResult",
    "SimulationResult",
    "SweepResult",
    "compare",
    "endpoints",
    "fit",
    "parameters",
    "population",
    "population_study",
    "sensitivity",
    "simulate",
    "sweep",
]

#: per-step relative and absolute error bounds of the solver (as the command line's --rtol, --atol)
DEFAULT_RTOL = 1e-6
DEFAULT_ATOL = 1e-8

#: where argument errors are located (the library's origin for them)
ARGUMENTS_ORIGIN = _lactsim.ARGUMENTS_ORIGIN
#: the limits the command line puts on counts (samples, threads, ...), from the library
_LIMITS: Dict[str, int] = dict(_lactsim.limits())

Overrides = Optional[Mapping[str, float]]
ProgressCallback = Optional[Callable[[int, int], None]]


def _override_pairs(overrides: Overrides, keyword: Optional[str] = "overrides") -> List[Tuple[str, float]]:
    """(name, value) pairs; a value that is not a number is a TypeError naming
    ``keyword[name]`` (or the name itself for keyword arguments, ``keyword`` None)."""
    if overrides is None:
        return []
    if not isinstance(overrides, Mapping):
        raise TypeError(f"{keyword or 'overrides'} must be a mapping {{parameter name: value}}, not {type(overrides).__name__}")
    return [(str(name), _number(f"{keyword}[{str(name)!r}]" if keyword else str(name), value))
            for name, value in overrides.items()]


def _argument_error(keyword: str, problem: str) -> ScenarioError:
    """A bad argument value, reported as the library reports one: located at "<arguments>"
    (the library's origin of argument errors), naming the Python keyword."""
    return ScenarioError(f"{ARGUMENTS_ORIGIN}: {keyword}: {problem}", ARGUMENTS_ORIGIN, 0, 0, keyword)


def _integer(keyword: str, value: Any, low: int, high: int) -> int:
    """`value` as an int in [low, high]: TypeError naming `keyword` for a non-integer (a bool
    or 2.5 included: nothing is truncated), ScenarioError (a ValueError) when out of range."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{keyword} must be an integer, not {type(value).__name__} {value!r}")
    if not low <= value <= high:
        raise _argument_error(keyword, f"must be from {low} to {high}, found {value}")
    return int(value)


def _number(keyword: str, value: Any) -> float:
    """`value` as a float: TypeError naming `keyword` for anything but a real number (the
    library checks the value's range and names the keyword)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{keyword} must be a number, not {type(value).__name__} {value!r}")
    return float(value)


def _flag(keyword: str, value: Any) -> bool:
    """`value` as a bool: TypeError naming `keyword` for anything else (``resume="no"`` is truthy,
    so a string is refused rather than read as True)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{keyword} must be True or False, not {type(value).__name__} {value!r}")
    return bool(value)


def _solver(solver: Any) -> Optional[str]:
    """None (the default solver) or a solver name; the library refuses unknown names, listing them."""
    if solver is None or isinstance(solver, str):
        return solver
    raise TypeError(f"solver must be a solver name (str, e.g. 'cascade') or None, not {type(solver).__name__} {solver!r}")


def _solver_arguments(solver: Any, rtol: Any, atol: Any) -> Tuple[Optional[str], float, float]:
    return _solver(solver), _number("rtol", rtol), _number("atol", atol)


def _threads(threads: Any) -> int:
    """0 or None: every core, as the command line's -j 0."""
    if threads is None:
        return 0
    return _integer("threads", threads, 0, _LIMITS["max_threads"])


def _samples_count(n: Any) -> int:
    return _integer("n", n, 1, _LIMITS["max_samples"])


def _seed(seed: Any) -> int:
    return _integer("seed", seed, 0, 2**64 - 1)


#: largest value of a C int (the library's count arguments of fits)
_INT_MAX = 2**31 - 1


def _progress(keyword: str, callback: Any) -> Any:
    if callback is not None and not callable(callback):
        raise TypeError(f"{keyword} must be callable or None, not {type(callback).__name__}")
    return callback


@contextlib.contextmanager
def _keywords(**python_keyword: str) -> Iterator[None]:
    """Restates an error in a library argument with the keyword the Python function takes for
    it, e.g. ``_keywords(samples="n")``: the library's "<arguments>: samples: ..." becomes
    "<arguments>: n: ..." (as the command line restates it with its flag)."""
    try:
        yield
    except ScenarioError as error:
        argument, space, rest = error.field.partition(" ")
        if error.file != ARGUMENTS_ORIGIN or argument not in python_keyword:
            raise
        detail = str(error).removeprefix(f"{ARGUMENTS_ORIGIN}: {error.field}: ")
        field = python_keyword[argument] + space + rest
        raise ScenarioError(f"{ARGUMENTS_ORIGIN}: {field}: {detail}", ARGUMENTS_ORIGIN, 0, 0, field) from None


class Scenario:
    """A loaded and validated scenario: one mother, her delivery, pain, schedules and observed data.

    Build one with :meth:`from_file`, :meth:`from_toml` or :meth:`from_dict`; every problem
    raises :class:`ScenarioError` with the same ``file:line:column: field: ...`` message as
    the command line. Scenarios are immutable: :meth:`with_parameters` returns a new one.
    """

    __slots__ = ("_data",)

    def __init__(self, data: "_lactsim.ScenarioData") -> None:
        self._data = data

    @classmethod
    def from_file(
        cls, path: Union[str, "os.PathLike[str]"], overrides: Overrides = None, params_file: Optional[str] = None
    ) -> "Scenario":
        """Loads a scenario TOML file (format: docs/scenario-format.md).

        Args:
            path: the scenario file
            overrides: parameter values {name: value} applied after the file's own and the
                parameter-set file's (as ``lactsim run --set``)
            params_file: a parameter-set TOML, e.g. written by ``lactsim fit`` (``--params``)
        """
        return cls(_lactsim.load_scenario(os.fspath(path), _override_pairs(overrides),
                                          os.fspath(params_file) if params_file else ""))

    @classmethod
    def from_toml(cls, text: str, overrides: Overrides = None, label: str = "<string>") -> "Scenario":
        """Parses scenario TOML text; ``label`` stands for the file name in messages and as the
        scenario's name in comparisons (its stem)."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a str of scenario TOML, not {type(text).__name__}")
        return cls(_lactsim.parse_scenario(text, str(label), _override_pairs(overrides)))

    @classmethod
    def from_dict(cls, scenario: Mapping[str, Any], overrides: Overrides = None, label: str = "<dict>") -> "Scenario":
        """A scenario given as nested dicts, as ``tomllib.load`` reads a scenario file.

        It is written out as TOML and loaded as a file is, so the checks and messages are
        the file's (lines and columns then refer to that TOML text; the field names are
        those of the dict's keys).
        """
        return cls.from_toml(dict_to_toml(scenario, str(label)), overrides, label)

    def with_parameters(self, overrides: Overrides = None, **values: float) -> "Scenario":
        """A copy with parameter values replaced, e.g. ``s.with_parameters(massage_ot_rise_uU_ml=0)``.

        All parameters are checked again (bounds and cross-parameter constraints).
        """
        pairs = _override_pairs(overrides) + _override_pairs(values, keyword=None)
        return Scenario(_lactsim.with_overrides(self._data, pairs))

    @property
    def name(self) -> str:
        """The scenario's name ([scenario] name)."""
        return self._data.name

    @property
    def description(self) -> str:
        """The scenario's description."""
        return self._data.description

    @property
    def file(self) -> str:
        """The file it came from (or its label)."""
        return self._data.file

    @property
    def sha256(self) -> str:
        """SHA-256 of the scenario's bytes, hex."""
        return self._data.sha256

    @property
    def duration_days(self) -> int:
        """Simulated days."""
        return self._data.duration_days

    @property
    def horizon_h(self) -> float:
        """Simulated time, h."""
        return self._data.horizon_h

    @property
    def delivery_mode(self) -> str:
        """"vaginal", "caesarean_planned" or "caesarean_emergency"."""
        return self._data.delivery_mode

    @property
    def parity(self) -> str:
        """"primiparous" or "multiparous"."""
        return self._data.parity

    @property
    def parameters(self) -> Dict[str, float]:
        """Every model parameter's value in this scenario {name: value}, registry order."""
        return self._data.parameters

    @property
    def overrides(self) -> List[Tuple[str, float, str]]:
        """Parameter values set by the file, a parameter set or overrides: (name, value, where)."""
        return self._data.overrides

    @property
    def population_size(self) -> Optional[int]:
        """Mothers in the scenario's [population] table; None without one."""
        return self._data.population_size

    @property
    def observed_quantities(self) -> List[str]:
        """Quantities of the scenario's [[observed]] series."""
        return self._data.observed_quantities

    def __repr__(self) -> str:
        return f"Scenario({self.name!r}, file={self.file!r}, {self.duration_days} days, {self.delivery_mode})"


@dataclass
class SimulationResult:
    """What :func:`simulate` returns.

    Attributes:
        timeseries: one row per output time (columns of timeseries.csv, docs/outputs.md)
        daily: one row per day (columns of daily.csv)
        endpoints: summary.json's endpoints: onset_h (None when not reached),
            milk_transferred_ml_by_day, milk_transferred_total_ml, milk_expressed_total_ml,
            milk_synthesised_total_ml, mass_balance_relative_error, first_colostrum_time_h and
            perceived_onset_time_h (h; None when absent: docs/model.md §Observation models), and the
            infant weight endpoints infant_weight_change_24h/48h/72h_percent,
            infant_weight_nadir_percent, infant_weight_nadir_h, infant_birth_weight_regained_day
            (NaN when undefined)
        stats: solver name and accepted/rejected steps
    """

    timeseries: Table
    daily: Table
    endpoints: Dict[str, Any]
    stats: Dict[str, Any]

    @property
    def onset_h(self) -> Optional[float]:
        """Onset of lactogenesis II (activation reaches 0.5), h after birth; None when not reached."""
        return self.endpoints["onset_h"]


def _table(raw: Mapping[str, Any]) -> Table:
    return Table(raw["columns"], raw["units"])


#: a Scenario, or the path of a scenario file (loaded with Scenario.from_file)
ScenarioLike = Union[Scenario, str, "os.PathLike[str]"]


def _as_scenario(scenario: ScenarioLike) -> Scenario:
    """`scenario` itself, or the scenario file it names."""
    if isinstance(scenario, Scenario):
        return scenario
    if isinstance(scenario, (str, os.PathLike)):
        return Scenario.from_file(scenario)
    raise TypeError(f"expected a lactsim.Scenario or a path to a scenario file, not {type(scenario).__name__}")


def simulate(
    scenario: ScenarioLike,
    solver: Optional[str] = None,
    rtol: float = DEFAULT_RTOL,
    atol: float = DEFAULT_ATOL,
    output_step_min: float = 5.0,
) -> SimulationResult:
    """Simulates one scenario, as ``lactsim run`` does.

    Args:
        scenario: the scenario
        solver: "dopri5" (the reference) or "cascade"; None: the default of the command line (cascade)
        rtol, atol: per-step relative and absolute error bounds
        output_step_min: timeseries spacing in minutes (0: no timeseries)

    Raises:
        ScenarioError: bad options (the message names the argument)
        SimulationError: the integrator failed
    """
    raw = _lactsim.simulate(_as_scenario(scenario)._data, *_solver_arguments(solver, rtol, atol),
                            _number("output_step_min", output_step_min))
    return SimulationResult(_table(raw["timeseries"]), _table(raw["daily"]), dict(raw["endpoints"]),
                            dict(raw["stats"]))


def endpoints(
    scenario: ScenarioLike, solver: Optional[str] = None, rtol: float = DEFAULT_RTOL, atol: float = DEFAULT_ATOL
) -> Dict[str, float]:
    """The scenario's endpoints by name, exactly as one row of a sweep reports them: onset_h,
    milk_day1_ml ... milk_dayN_ml, milk_transferred_total_ml, milk_expressed_total_ml,
    prl_peak_per_feed_ng_ml, ot_peak_per_feed_uU_ml, infant_weight_change_24h_percent,
    infant_weight_change_48h_percent, infant_weight_change_72h_percent, infant_weight_nadir_percent,
    infant_weight_nadir_h, infant_birth_weight_regained_day, first_colostrum_time_h,
    perceived_onset_time_h (NaN when undefined, e.g. no onset, no expression session reaching the
    colostrum threshold).

    Raises:
        SimulationError: the simulation failed
    """
    return dict(_lactsim.endpoints(_as_scenario(scenario)._data, *_solver_arguments(solver, rtol, atol)))


def parameters() -> Table:
    """Every model parameter: name, unit, defaults per delivery mode, bounds, description,
    source and display name (the short label figures use), the columns of
    ``lactsim params --format csv``."""
    columns = _lactsim.parameter_registry()
    units = {name: "" for name in columns}
    text_columns = ("name", "unit", "description", "source", "display_name")
    return Table({name: np.asarray(values, dtype=object if name in text_columns else float)
                  for name, values in columns.items()}, units)


# --- designs and sweeps -------------------------------------------------------------------

RangeSpec = Union[str, Tuple[float, float], Tuple[float, float, str]]
Ranges = Union[Mapping[str, Union[Tuple[float, float], Tuple[float, float, str]]], Sequence[str]]


def _range_texts(ranges: Ranges) -> List[str]:
    """Ranges as the command line's --vary texts: "NAME=LO:HI" or "NAME=LO:HI:log"."""
    if isinstance(ranges, Mapping):
        texts = []
        for name, spec in ranges.items():
            if isinstance(spec, str):
                texts.append(f"{name}={spec}")
                continue
            spec = tuple(spec)
            if len(spec) not in (2, 3) or (len(spec) == 3 and spec[2] != "log"):
                raise ValueError(f"ranges[{name!r}]: expected (low, high) or (low, high, 'log')")
            text = f"{name}={float(spec[0])!r}:{float(spec[1])!r}"
            texts.append(text + (":log" if len(spec) == 3 else ""))
        return texts
    if isinstance(ranges, str):
        return [ranges]
    return [str(r) for r in ranges]


def _float_matrix(keyword: str, values: Any) -> np.ndarray:
    """`values` as a float64 array; TypeError naming `keyword` when they are not numbers."""
    try:
        return np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{keyword} must be numbers only ({error})") from None


def _samples_matrix(samples: Any, names: Optional[Sequence[str]]) -> Tuple[List[str], np.ndarray]:
    """(names, C-contiguous float64 matrix) from a 2-D array + names, a dict of columns or a DataFrame."""
    if hasattr(samples, "columns") and hasattr(samples, "to_numpy"):  # a pandas DataFrame
        if names is not None:
            samples = samples[list(names)]
        return [str(c) for c in samples.columns], np.ascontiguousarray(_float_matrix("samples", samples.to_numpy()))
    if isinstance(samples, Mapping):
        keys = list(names) if names is not None else list(samples.keys())
        columns = [_float_matrix(f"samples[{str(k)!r}]", samples[k]) for k in keys]
        if not columns:
            return [], np.zeros((0, 0))
        return [str(k) for k in keys], np.ascontiguousarray(np.column_stack(columns))
    if isinstance(samples, (str, bytes)) or samples is None:
        raise TypeError(f"samples must be a Design, a 2-D array, a dict of columns or a DataFrame, "
                        f"not {type(samples).__name__}")
    matrix = _float_matrix("samples", samples)
    if matrix.ndim == 1 and names is not None and len(names) == 1:
        matrix = matrix.reshape(-1, 1)
    if matrix.ndim != 2:
        raise _argument_error("samples", f"must be a 2-D array (one row per sample), not {matrix.ndim}-D")
    if names is None:
        raise _argument_error("names", "a 2-D array of samples needs names=[parameter per column]")
    if len(names) != matrix.shape[1]:
        raise _argument_error("names", f"{len(names)} names for the {matrix.shape[1]} columns of samples")
    return [str(n) for n in names], np.ascontiguousarray(matrix)


class Design:
    """Which parameter values a sweep runs: the command line's --design grid / lhs / sobol /
    file:PATH, or samples given in memory. Every design point is a pure function of the
    design and its index, so results are identical for any thread count.

    Ranges are ``{name: (low, high)}`` or ``{name: (low, high, "log")}`` (uniform in log), or
    the command line's ``"NAME=LO:HI[:log]"`` texts.
    """

    __slots__ = ("_data",)

    def __init__(self, data: "_lactsim.DesignData") -> None:
        self._data = data

    @classmethod
    def grid(cls, ranges: Ranges, n: int) -> "Design":
        """A full grid of about n points: round(n^(1/d)) levels per parameter, ends included."""
        with _keywords(samples="n"):
            return cls(_lactsim.design_generated("grid", _range_texts(ranges), _samples_count(n), 1))

    @classmethod
    def lhs(cls, ranges: Ranges, n: int, seed: int = 1) -> "Design":
        """A Latin hypercube of n points (the command line's default design, seed 1)."""
        with _keywords(samples="n"):
            return cls(_lactsim.design_generated("lhs", _range_texts(ranges), _samples_count(n), _seed(seed)))

    @classmethod
    def sobol(cls, ranges: Ranges, n: int) -> "Design":
        """The first n points of the Sobol sequence (the all-zero point skipped)."""
        with _keywords(samples="n"):
            return cls(_lactsim.design_generated("sobol", _range_texts(ranges), _samples_count(n), 1))

    @classmethod
    def from_csv(cls, path: Union[str, "os.PathLike[str]"]) -> "Design":
        """Parameter sets from a CSV file: a header of parameter names, one row per sample."""
        return cls(_lactsim.design_from_csv(os.fspath(path)))

    @classmethod
    def from_samples(cls, samples: Any, names: Optional[Sequence[str]] = None) -> "Design":
        """Parameter sets in memory: a 2-D array (one row per sample) with ``names``, a dict
        {name: column} or a pandas DataFrame. Values outside a parameter's bounds are not
        refused: such a sample becomes a failed row."""
        column_names, matrix = _samples_matrix(samples, names)
        with _keywords(parameter_names="names"):
            return cls(_lactsim.design_from_samples(column_names, matrix))

    @property
    def names(self) -> List[str]:
        """Varied parameters, in column order."""
        return self._data.names

    @property
    def size(self) -> int:
        """Number of samples."""
        return self._data.size

    def __len__(self) -> int:
        return self.size

    def __repr__(self) -> str:
        return f"Design({self._data.kind}, {self.size} samples of {', '.join(self.names)})"


@dataclass
class SweepResult:
    """What :func:`sweep` returns.

    Attributes:
        rows: one row per sample in sample order, columns as the sweep CSV: sample, status
            ("ok" or "failed"), the varied parameters, the endpoints (NaN when undefined or
            failed), error; None when the rows went to ``on_rows`` instead
        samples: samples run
        failed: samples that failed (invalid parameters or solver failure)
    """

    rows: Optional[Table]
    samples: int
    failed: int


def _sweep_table(raw: Mapping[str, Any]) -> Table:
    columns: Dict[str, Any] = {"sample": raw["sample"], "status": raw["status"]}
    for k, name in enumerate(raw["parameter_names"]):
        columns[name] = raw["parameters"][:, k]
    for k, name in enumerate(raw["endpoint_names"]):
        columns[name] = raw["endpoints"][:, k]
    columns["error"] = raw["error"]
    return Table(columns)


def sweep(
    scenario: ScenarioLike,
    samples: Any,
    names: Optional[Sequence[str]] = None,
    *,
    solver: Optional[str] = None,
    rtol: float = DEFAULT_RTOL,
    atol: float = DEFAULT_ATOL,
    threads: Optional[int] = None,
    block_size: int = 1024,
    on_rows: Optional[Callable[[Table], None]] = None,
    progress: ProgressCallback = None,
) -> SweepResult:
    """Runs one simulation per sample of a design on the scenario, as ``lactsim sweep`` does
    (same rows, same numbers), on ``threads`` threads with the GIL released.

    Args:
        scenario: the base scenario; each sample replaces the varied parameters
        samples: a :class:`Design` (grid, LHS, Sobol, CSV file), or samples in memory: a 2-D
            array with ``names``, a dict {name: column} or a pandas DataFrame
        names: parameter names of a 2-D array's columns
        solver, rtol, atol: as :func:`simulate`
        threads: worker threads; None or 0: all cores
        block_size: samples computed per block (the interval of on_rows, progress and Ctrl-C)
        on_rows: when given, called with each block's rows (a :class:`Table`) in sample order
            and the rows are not kept (memory flat for large designs)
        progress: called as progress(done, total) after each block

    Raises:
        ScenarioError: bad design or options
        KeyboardInterrupt: Ctrl-C (checked after each block); an exception raised by
            ``on_rows`` or ``progress`` stops the sweep and propagates
    """
    design = samples if isinstance(samples, Design) else Design.from_samples(samples, names)
    _progress("on_rows", on_rows)
    block_callback = None
    if on_rows is not None:
        block_callback = lambda raw: on_rows(_sweep_table(raw))  # noqa: E731
    raw = _lactsim.sweep(_as_scenario(scenario)._data, design._data, *_solver_arguments(solver, rtol, atol),
                         _threads(threads), _integer("block_size", block_size, 1, _LIMITS["max_block_size"]),
                         block_callback, _progress("progress", progress))
    rows = None if on_rows is not None else _sweep_table(raw["rows"])
    return SweepResult(rows, raw["samples"], raw["failed"])


# --- populations, comparisons, sensitivity, fits -------------------------------------------

def population(
    scenario: ScenarioLike,
    *,
    solver: Optional[str] = None,
    rtol: float = DEFAULT_RTOL,
    atol: float = DEFAULT_ATOL,
    threads: Optional[int] = None,
    progress: ProgressCallback = None,
) -> Table:
    """Simulates every mother of the scenario's [population] table or, when it has none, of
    the calibrated default population (scenarios/populations/first_week.toml), as ``lactsim
    population`` chooses (docs/analyses.md).

    Returns one row per mother: mother, status ("ok" or "failed"), the endpoints (as
    :func:`endpoints`; NaN for a failed mother), error.

    Raises:
        ScenarioError: the population's laws do not fit the scenario's values
        KeyboardInterrupt: Ctrl-C (checked after each block of mothers)
    """
    raw = _lactsim.population(_as_scenario(scenario)._data, *_solver_arguments(solver, rtol, atol), _threads(threads),
                              _progress("progress", progress))
    columns: Dict[str, Any] = {"mother": raw["mother"], "status": raw["status"]}
    for k, name in enumerate(raw["endpoint_names"]):
        columns[name] = raw["values"][:, k]
    columns["error"] = raw["error"]
    return Table(columns)


@dataclass
class PopulationStudyResult:
    """What :func:`population_study` returns (the files of ``lactsim population``, read back).

    Attributes:
        mothers: one row per requested mother (mothers.csv, docs/outputs.md): mother_id, her
            drawn parameters, endpoints (NaN where the CSV cell is empty: onset not reached,
            or she failed), onset_reached, status, error
        summary: summary.csv: endpoint, statistic, value, censored_above, lower_95, upper_95,
            interval, unit, n_requested, n_included, n_failed, n_censored
        requested, included, failed: mothers asked for, summarised and failed
        out: the folder holding mothers.csv and summary.csv
    """

    mothers: Table
    summary: Table
    requested: int
    included: int
    failed: int
    out: str


_TEXT_COLUMNS = ("onset_reached", "status", "error", "endpoint", "statistic", "interval", "unit")


def _read_csv_table(path: str) -> Table:
    import csv

    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    columns: Dict[str, Any] = {}
    for k, name in enumerate(header):
        cells = [row[k] for row in body]
        if name in _TEXT_COLUMNS:
            columns[name] = np.array(cells, dtype=object)
        elif name == "mother_id" or name.startswith("n_"):
            columns[name] = np.array([int(c) for c in cells], dtype=np.int64)
        else:
            columns[name] = np.array([float(c) if c else np.nan for c in cells], dtype=float)
    return Table(columns)


def population_study(
    scenario: ScenarioLike,
    out: Union[str, "os.PathLike[str]"],
    *,
    population: Optional[Union[str, "os.PathLike[str]"]] = None,
    resume: bool = False,
    solver: Optional[str] = None,
    rtol: float = DEFAULT_RTOL,
    atol: float = DEFAULT_ATOL,
    threads: Optional[int] = None,
    progress: ProgressCallback = None,
) -> PopulationStudyResult:
    """A population as its own study, as ``lactsim population SCENARIO --out OUT``.

    Runs the population file ``population`` (a TOML file holding a [population] table) or,
    without it, the scenario's own [population] table, else the calibrated default
    (scenarios/populations/first_week.toml), around the scenario, writes
    OUT/mothers.csv (one row per mother, written as she is computed) and OUT/summary.csv
    (censored percentiles, fractions with Wilson intervals; docs/outputs.md) with
    OUT/manifest.json (its provenance record, docs/outputs.md "manifest.json"), and returns
    the two tables read back. Memory in the library does not grow with the number of mothers; the tables
    returned do. ``resume=True`` continues an interrupted study in the same folder.

    Raises:
        ScenarioError: a bad population file (file:line:column)
        KeyboardInterrupt: Ctrl-C (checked after each block of mothers); the mothers done
            are kept in OUT/mothers.csv.partial for ``resume=True``
    """
    out = os.fspath(out)
    counts = _lactsim.population_study(
        _as_scenario(scenario)._data,
        None if population is None else os.fspath(population),
        out,
        _flag("resume", resume),
        *_solver_arguments(solver, rtol, atol),
        _threads(threads),
        _progress("progress", progress),
    )
    return PopulationStudyResult(
        mothers=_read_csv_table(os.path.join(out, "mothers.csv")),
        summary=_read_csv_table(os.path.join(out, "summary.csv")),
        requested=counts["requested"],
        included=counts["included"],
        failed=counts["failed"],
        out=out,
    )


def compare(
    scenarios: Sequence[ScenarioLike],
    *,
    use_population: bool = True,
    population: Optional[Union[str, "os.PathLike[str]"]] = None,
    solver: Optional[str] = None,
    rtol: float = DEFAULT_RTOL,
    atol: float = DEFAULT_ATOL,
    threads: Optional[int] = None,
    progress: ProgressCallback = None,
) -> Table:
    """Compares scenarios side by side, as ``lactsim compare``: the first is the reference.

    With ``population`` (a file holding a [population] table, as ``--population``; e.g.
    ``lactsim.shipped_scenario_path("populations/first_week")``, the calibrated default) every
    arm runs that file's mothers; otherwise, with ``use_population`` and a [population] table
    in the first scenario, every arm runs the same virtual mothers of that table. The value,
    difference and ratio columns are one mother at the scenarios' own values, not the
    population. Returns the rows of the comparison CSV (docs/analyses.md):
    endpoint, scenario (file stem or label), value, difference, ratio, and with a population
    the percentile and paired-difference columns; NaN where the CSV has an empty cell.
    """
    if population is not None and not use_population:
        raise ScenarioError(f"{ARGUMENTS_ORIGIN}: population: cannot be given with use_population=False",
                            ARGUMENTS_ORIGIN, 0, 0, "population")
    raw = _lactsim.compare([_as_scenario(s)._data for s in scenarios], _flag("use_population", use_population),
                           None if population is None else os.fspath(population), *_solver_arguments(solver, rtol, atol), _threads(threads), _progress("progress", progress))
    return _table(raw)


@dataclass
class SensitivityResult:
    """What :func:`sensitivity` returns.

    Attributes:
        indices: Sobol: endpoint, parameter, index ("first" or "total"), value, ci95_low,
            ci95_high; Morris: endpoint, parameter, mu, mu_star, sigma (columns of the
            sensitivity CSV)
        method: "sobol" or "morris"
        model_runs: simulations run
        used: base samples (Sobol) or trajectories (Morris) whose runs all succeeded
        failed: base samples or trajectories dropped because a run failed
    """

    indices: Table
    method: str
    model_runs: int
    used: int
    failed: int


def sensitivity(
    scenario: ScenarioLike,
    ranges: Ranges,
    *,
    method: str = "sobol",
    n: int = 256,
    endpoints: Optional[Sequence[str]] = None,
    seed: int = 1,
    bootstrap: int = 200,
    levels: int = 4,
    solver: Optional[str] = None,
    rtol: float = DEFAULT_RTOL,
    atol: float = DEFAULT_ATOL,
    threads: Optional[int] = None,
    progress: ProgressCallback = None,
) -> SensitivityResult:
    """Global sensitivity of the scenario's endpoints to parameter ranges, as ``lactsim
    sensitivity``: Sobol first- and total-order indices with bootstrap 95% intervals
    (N(d + 2) runs), or Morris elementary effects (r(d + 1) runs).

    Args:
        ranges: as for :class:`Design`
        method: "sobol" or "morris"
        n: Sobol base samples N, or Morris trajectories r
        endpoints: endpoint names (as :func:`endpoints`); None: milk_day3_ml and onset_h
        seed: bootstrap (Sobol) or trajectory (Morris) seed
        bootstrap: Sobol bootstrap replicates
        levels: Morris grid levels (even)
    """
    if not isinstance(method, str):
        raise TypeError(f"method must be 'sobol' or 'morris', not {type(method).__name__} {method!r}")
    with _keywords(samples="n", morris_levels="levels"):
        raw = _lactsim.sensitivity(_as_scenario(scenario)._data, method, _range_texts(ranges), list(endpoints or []),
                                   _samples_count(n), _seed(seed),
                                   _integer("bootstrap", bootstrap, 0, _LIMITS["max_bootstrap"]),
                                   _integer("levels", levels, 2, _LIMITS["max_morris_levels"]),
                                   *_solver_arguments(solver, rtol, atol), _threads(threads),
                                   _progress("progress", progress))
    return SensitivityResult(_table(raw["indices"]), raw["method"], raw["model_runs"], raw["used"], raw["failed"])


@dataclass
class FitResult:
    """What :func:`fit` returns (docs/fitting.md).

    Attributes:
        parameters: one row per free parameter: name, unit, estimate, standard_error,
            ci95_low, ci95_high (estimate ± 1.96 SE within the bounds), at_bound, and with
            profiles profile_low, profile_high (likelihood-based 95% interval; NaN where
            not reached within the bounds)
        estimate: {name: estimate}
        chi_square: weighted sum of squared residuals at the estimate
        residuals: number of observations
        correlation: correlation matrix of the estimates
        warnings: identifiability warnings
        evaluations: simulations of all scenarios
        interrupted: stopped early (Ctrl-C); the best estimate so far is reported
    """

    parameters: Table
    estimate: Dict[str, float]
    chi_square: float
    residuals: int
    correlation: np.ndarray
    warnings: List[str]
    evaluations: int
    interrupted: bool
    profiles: Dict[str, Table] = field(default_factory=dict)


def fit(
    scenarios: Union[Scenario, Sequence[ScenarioLike]],
    free: Union[str, Sequence[str]],
    *,
    bounds: Optional[Mapping[str, Tuple[float, float]]] = None,
    default_cv: float = 0.25,
    multistart: int = 0,
    seed: int = 1,
    profile: bool = False,
    profile_points: int = 13,
    max_iterations: int = 60,
    progress: Optional[Callable[[str, int, float], None]] = None,
    observations: Optional[Union[str, os.PathLike]] = None,
    subject: Optional[str] = None,
) -> FitResult:
    """Estimates parameters from the scenarios' observed data by weighted least squares, as
    ``lactsim fit`` (Levenberg–Marquardt on bound-transformed parameters).

    Args:
        scenarios: one or more scenarios with [[observed]] data
        free: the parameters to estimate
        bounds: narrower bounds {name: (low, high)} (``--bound``)
        default_cv: relative SD of observations without one
        multistart: extra starts from a Latin hypercube; seed: its seed
        profile: also compute profile likelihoods (profile_points per parameter)
        max_iterations: Levenberg–Marquardt evaluations per start
        progress: called as progress(stage, evaluations, best_chi_square)
        observations: a case table CSV (``--observations``); with one scenario, the rows of its
            subject (its ``[scenario] subject``, or ``subject``) join its observed data. A case
            series, one fit per subject, is ``lactsim fit --observations`` (docs/fitting.md)
        subject: the scenario's subject in ``observations`` (``--subject``)

    Ctrl-C stops the fit with the best estimate so far (``interrupted``).
    """
    if isinstance(scenarios, Scenario):
        scenarios = [scenarios]
    if isinstance(free, str):
        free = [free]
    bound_list = [(str(k), (_number(f"bounds[{str(k)!r}][0]", v[0]), _number(f"bounds[{str(k)!r}][1]", v[1])))
                  for k, v in (bounds or {}).items()]
    with _keywords(free_names="free"):
        raw = _lactsim.fit([_as_scenario(s)._data for s in scenarios], [str(name) for name in free], bound_list,
                           _number("default_cv", default_cv),
                           _integer("multistart", multistart, 0, _LIMITS["max_multistart"]), _seed(seed), _flag("profile", profile),
                           _integer("profile_points", profile_points, 0, _INT_MAX),
                           _integer("max_iterations", max_iterations, 0, _INT_MAX), _progress("progress", progress),
                           "" if observations is None else os.fspath(observations), "" if subject is None else str(subject))
    profiles = {name: _table(table) for name, table in raw["profiles"].items()}
    table = _table(raw["parameters"])
    return FitResult(table, dict(zip(table["name"], table["estimate"])), raw["chi_square"], raw["residuals"],
                     np.asarray(raw["correlation"]), list(raw["warnings"]), raw["evaluations"], raw["interrupted"],
                     profiles)
