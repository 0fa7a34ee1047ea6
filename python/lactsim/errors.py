"""Exceptions raised by lactsim.

Every message is the command line's, word for word: ``file:line:column: field: what is
wrong`` for bad input, the time and state for a failed simulation.
"""

from __future__ import annotations

import math

__all__ = ["LactsimError", "ScenarioError", "SimulationError"]


class LactsimError(Exception):
    """Base of every lactsim error (the command line's exit code 1)."""

    #: exit code the command line returns for this error
    exit_code: int = 1


class ScenarioError(LactsimError, ValueError):
    """Bad input: a scenario file or text, a parameter value or an argument (exit code 2).

    Attributes:
        file: the file (or the label given for TOML text or a dict: ``"<string>"``,
            ``"<dict>"``), or ``"<arguments>"`` for a function argument or an override
        line, column: 1-based position in the file; 0 when unknown
        field: the field or argument at fault, e.g. ``"feeds[0].every_h"``
    """

    exit_code = 2

    def __init__(self, message: str, file: str = "", line: int = 0, column: int = 0, field: str = "") -> None:
        super().__init__(message)
        self.file = file
        self.line = line
        self.column = column
        self.field = field


class SimulationError(LactsimError, RuntimeError):
    """The integrator failed: non-finite state, step-size underflow or step budget (exit code 3).

    Attributes:
        time_h: hours after birth at which it failed (NaN when unknown)
        state: the state component at fault, or ``""``
    """

    exit_code = 3

    def __init__(self, message: str, time_h: float = math.nan, state: str = "") -> None:
        super().__init__(message)
        self.time_h = time_h
        self.state = state
