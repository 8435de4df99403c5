"""Rules across fields: each a small function that yields findings about a valid Report.

References between entries (a source, location or figure id that does not exist) are
checked by the model itself, so that they are reported with the other errors of a file.
A finding names the place (a field path as a tuple), what is wrong and how to fix it,
and whether it is an error (the report would mislead a reader, so it must not be
published) or a warning (worth a look, but the report stays true).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .load import Loc
from .model import Report


@dataclass(frozen=True)
class Finding:
    loc: Loc
    message: str
    severity: str = "error"


Rule = Callable[[Report], Iterator[Finding]]


def part_of_cycles(report: Report) -> Iterator[Finding]:
    """A breakdown's `part_of` chain must end at a total, never loop back to itself."""
    for figure_id, figure in report.figures.items():
        if figure.part_of and _in_cycle(report, figure_id):
            yield Finding(("figures", figure_id, "part_of"),
                          f"'{figure_id}' ends up as a part of itself through `part_of`: "
                          "a breakdown must point at a larger total")


def _in_cycle(report: Report, start: str) -> bool:
    seen = {start}
    current = report.figures[start].part_of
    while current in report.figures:
        if current in seen:
            return current == start
        seen.add(current)
        current = report.figures[current].part_of
    return False


RULES: list[Rule] = [part_of_cycles]


def run(report: Report) -> list[Finding]:
    """Every finding of every rule."""
    return [finding for rule in RULES for finding in rule(report)]
