"""Rules across fields: each a small function that yields findings about a valid Report.

A finding names the place (a field path as a tuple), what is wrong and how to fix it,
and whether it is an error (the report would mislead a reader, so it must not be
published) or a warning (worth a look, but the report stays true).
"""

from __future__ import annotations

import difflib
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


def _unknown(kind: str, wanted: str, known: dict) -> str:
    close = difflib.get_close_matches(wanted, list(known), n=1)
    hint = f"did you mean '{close[0]}'?" if close else f"add it under `{kind}:` or use one of: {', '.join(known)}"
    return f"no {kind[:-1]} with id '{wanted}': {hint}"


def source_references(report: Report) -> Iterator[Finding]:
    """Every `source`, `via` and `sources` entry names a source defined under `sources:`."""
    for loc, wanted in _source_ids(report):
        if wanted not in report.sources:
            yield Finding(loc, _unknown("sources", wanted, report.sources))


def _source_ids(report: Report) -> Iterator[tuple[Loc, str]]:
    for figure_id, figure in report.figures.items():
        for index, estimate in enumerate(figure.estimates):
            loc = ("figures", figure_id, "estimates", index)
            yield loc + ("source",), estimate.source
            if estimate.via:
                yield loc + ("via",), estimate.via
    for section in ("highlights", "events", "services", "displacement", "access"):
        for index, entry in enumerate(getattr(report, section)):
            for position, source in enumerate(entry.sources):
                yield (section, index, "sources", position), source
    for index, statement in enumerate(report.statements):
        yield ("statements", index, "source"), statement.source
        if statement.via:
            yield ("statements", index, "via"), statement.via


def location_references(report: Report) -> Iterator[Finding]:
    """Every `location` and `locations` entry names a location defined under `locations:`."""
    for figure_id, figure in report.figures.items():
        if figure.location and figure.location not in report.locations:
            yield Finding(("figures", figure_id, "location"), _unknown("locations", figure.location, report.locations))
    for section in ("events", "services", "displacement", "access"):
        for index, entry in enumerate(getattr(report, section)):
            for position, location in enumerate(entry.locations):
                if location not in report.locations:
                    yield Finding((section, index, "locations", position),
                                  _unknown("locations", location, report.locations))


def figure_references(report: Report) -> Iterator[Finding]:
    """`part_of` and a movement's `figures` name figures that exist; breakdowns do not loop."""
    for figure_id, figure in report.figures.items():
        if figure.part_of and figure.part_of not in report.figures:
            yield Finding(("figures", figure_id, "part_of"), _unknown("figures", figure.part_of, report.figures))
        elif figure.part_of and _in_cycle(report, figure_id):
            yield Finding(("figures", figure_id, "part_of"),
                          f"'{figure_id}' ends up as a part of itself through `part_of`: "
                          "a breakdown must point at a larger total")
    for index, movement in enumerate(report.displacement):
        for position, wanted in enumerate(movement.figures):
            if wanted not in report.figures:
                yield Finding(("displacement", index, "figures", position), _unknown("figures", wanted, report.figures))


def _in_cycle(report: Report, start: str) -> bool:
    seen = {start}
    current = report.figures[start].part_of
    while current in report.figures:
        if current in seen:
            return current == start
        seen.add(current)
        current = report.figures[current].part_of
    return False


RULES: list[Rule] = [source_references, location_references, figure_references]


def run(report: Report) -> list[Finding]:
    """Every finding of every rule."""
    return [finding for rule in RULES for finding in rule(report)]
