"""One exception tree for everything a user can be told about.

Library code raises these; only the CLI turns them into messages and exit codes.
Every problem found in an input file carries the file, line, column and field path,
so that a message can point at the exact place an analyst has to edit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One located finding about an input file: an error or a warning."""

    path: str
    line: int
    column: int
    field: str
    message: str
    severity: str = "error"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def __str__(self) -> str:
        field = f" {printable(self.field)}:" if self.field else ""
        label = "" if self.is_error else " warning:"
        return f"{printable(self.path)}:{self.line}:{self.column}:{field}{label} {printable(self.message)}"


_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` safe to print on a terminal: control characters (escape sequences that could clear the
    screen or retitle the window, bidi overrides that reorder what is shown) appear as escapes."""
    return _UNPRINTABLE.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)


def shortened(text: str, limit: int = 40) -> str:
    """``text``, or its start and end around '...' when longer than ``limit``: a 4,000-digit number quoted
    in a message stays one line."""
    return text if len(text) <= limit else f"{text[: limit // 2]}...{text[-limit // 4 :]}"


class SitrepError(Exception):
    """Base of every error sitrep reports to a user (never a bug)."""


class InputError(SitrepError):
    """An input file is not a valid report; carries every problem found, sorted by place."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class BuildError(SitrepError):
    """A valid report could not be turned into an output (template or PDF failure)."""
