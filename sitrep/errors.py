"""One exception tree for everything a user can be told about.

Library code raises these; ``messages`` is the one place that turns any of them (and a bug met while
building a file) into the lines a user reads, which the CLI, `watch` and `serve` print as they are.
Every problem found in an input file carries the file, line, column and field path,
so that a message can point at the exact place an analyst has to edit.
"""

from __future__ import annotations

import re
from collections.abc import Callable
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
        return describe(self)


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


class Bug(Exception):
    """An exception no input should cause, met while building one file: a bug in sitrep. It fails that
    file only; ``details`` (the traceback) is shown on request (``--verbose``)."""

    def __init__(self, summary: str, details: str) -> None:
        self.summary, self.details = summary, details
        super().__init__(summary)

    @classmethod
    def caught(cls, error: BaseException) -> Bug:
        """``error``, being handled now, as the bug it is: its type and first line, and its traceback."""
        import traceback

        summary = (f"{type(error).__name__}: {error}".splitlines() or [""])[0]
        return cls(shortened(summary, 200), "".join(traceback.format_exception(error)))


REPORT_BUGS = "please report it to sitrep's maintainers with the file and the output of the same command with --verbose"
"""How to report a bug, as every bug message says it."""

Style = Callable[[str, str], str]
"""How a message is styled (the CLI colours it on a terminal): ``style(kind, text)``, ``kind`` being 'where',
'error' or 'warning'."""


def plain(kind: str, text: str) -> str:
    return text


def messages(path: object | None, error: Exception, *, verbose: bool = False, style: Style = plain) -> list[str]:
    """The lines that tell a user what went wrong with ``path`` (a file, `<stdin>`, or None when the error is
    not about one file): each located problem of an invalid file; the one error of a build that failed; for a
    bug, one line saying so and how to report it, and with ``verbose`` its traceback."""
    if isinstance(error, InputError):
        return [describe(problem, style) for problem in error.problems]
    where = "" if path is None else style("where", f"{printable(str(path))}:") + " "
    if isinstance(error, Bug):
        bug = f"{where}{style('error', f'this is a bug in sitrep ({printable(error.summary)})')}; {REPORT_BUGS}"
        return [bug, *(error.details.rstrip().splitlines() if verbose else ())]
    return [f"{where}{style('error', printable(str(error)))}"]


def describe(problem: Problem, style: Style = plain) -> str:
    """One problem as a line: ``file:line:col: field.path: message``, a warning saying so."""
    where = style("where", f"{printable(problem.path)}:{problem.line}:{problem.column}:")
    field = f" {printable(problem.field)}:" if problem.field else ""
    message = printable(problem.message)
    if problem.is_error:
        return f"{where}{field} {style('error', message)}"
    return f"{where}{field} {style('warning', 'warning:')} {message}"
