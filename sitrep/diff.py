"""What changed between two editions of a report, fact by fact.

Figures are compared source by source, as ``sitrep.estimates`` reads them: for each source,
its current number in the previous edition against its current number in this one. What became
of a number is one of

- ``superseded``: the same source has a newer (or revised) number; the numbers it gave in between
  are its history;
- ``new``: a source that gave no number before;
- ``replaced``: the number now comes from other sources than before (both are kept, and nothing
  is subtracted: numbers from different sources are never compared);
- ``withdrawn``: the analyst marked the source's number `withdrawn` (only then);
- ``removed``: the number is no longer in the file, and nothing says why.

A change in a number is computed only between two exact numbers of one source; otherwise both
numbers are given, with the reason no change is computed. Nothing that disappears between
editions passes silently: removed figures and entries are changes too.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from .editions import written_in
from .estimates import Claim, Reading, Series, claim_key, extent, funding_id, read_all, read_funding, unordered
from .model import Estimate, Figure, MoneyEstimate, Qualifier, Report
from .wording import estimate_number

SECTIONS = ("figures", "events", "services", "displacement", "access", "measures", "response", "statements")


@dataclass(frozen=True)
class FigureChange:
    """What became of one source's current number for a figure (several sources' for a replacement).

    ``before`` are the current claims in the previous edition, ``after`` those in this one (for a
    number withdrawn or removed, the source's older number that is current again, if any),
    ``between`` the claims the same source gave in between, oldest first, and ``withdrawn`` this
    edition's record of ``before`` where the analyst marked it withdrawn (with the reason).
    """

    figure: str
    kind: str
    before: tuple[Claim, ...] = ()
    after: tuple[Claim, ...] = ()
    between: tuple[Claim, ...] = ()
    withdrawn: tuple[Claim, ...] = ()
    figure_added: bool = False
    figure_removed: bool = False
    line: str | None = None
    """For a funding line's amounts, the line's name: its id ('funding-2') is its place in its own edition's
    list, so a removed line and a line of this edition may share one."""

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(claim.source for claim in (*self.before, *self.after)))

    @property
    def change(self) -> int | None:
        """The difference between two exact numbers of one source; None whenever that is not what we have."""
        if self.no_change_because is not None:
            return None
        return self.after[0].exact_value - self.before[0].exact_value  # type: ignore[operator]

    @property
    def no_change_because(self) -> str | None:
        """Why no change is computed (None when one is): a reason a reader can check."""
        if uncompared := self.not_compared_because:
            return uncompared
        for claim, which in ((self.before[0], "earlier"), (self.after[0], "later")):
            if claim.exact_value is None:
                return f"the {which} number, {_worded(claim)}, is not one exact number"
        return None

    @property
    def not_compared_because(self) -> str | None:
        """Why the two numbers are not compared at all, not even as up or down (None when they are)."""
        if self.kind not in ("superseded", "replaced"):
            return f"the number is {self.kind}, so there are not two numbers to compare"
        if len(self.sources) > 1:
            return "the numbers come from different sources, which are never compared"
        if len(self.before) > 1 or len(self.after) > 1:
            return "the source gave several numbers for one day"
        if self.withdrawn:
            return "the earlier number was withdrawn"
        if unlike := _unlike((*self.before, *self.after)):
            return unlike
        before, after = self.before[0].as_of, self.after[0].as_of
        if before == after:
            return "both numbers are for the same day (a correction, or another outlet's reading), not a change"
        if unordered(before, after):
            return "one number is for a month and the other for a day of it, which cannot be put in order"
        return None

    @property
    def same_number(self) -> bool:
        """The source says the same, in the same words, on a later day ('more than 4,500' again)."""
        return (
            self.kind == "superseded"
            and len(self.before) == len(self.after) == 1
            and self.before[0].wording == self.after[0].wording
            and not self.withdrawn
        )

    @property
    def direction(self) -> str | None:
        """'up' or 'down' when every number the two claims allow says so, else None ('more than 3,900'
        to 4,589 may be either)."""
        if self.not_compared_because:
            return None
        before, after = extent(self.before[0]), extent(self.after[0])
        if before is None or after is None:
            return None
        if after[0] > before[1]:
            return "up"
        if after[1] < before[0]:
            return "down"
        return None

    def describe(self) -> str:
        """One line for a terminal, in the file's own ids."""
        thing = "amounts" if self.line else "figure"
        where = f"{self.figure}{f' ({self.line})' if self.line else ''}: " + (
            f"new {thing}, " if self.figure_added else f"removed {thing}, " if self.figure_removed else ""
        )
        if self.kind == "superseded":
            chain = " -> ".join(_claim_text(claim) for claim in (*self.before, *self.between, *self.after))
            return f"{where}{self.sources[0]}: {chain}, {self._computed()}"
        if self.kind == "replaced":
            before = "; ".join(f"{c.source} {_claim_text(c)}" for c in self.before)
            after = "; ".join(f"{c.source} {_claim_text(c)}" for c in self.after)
            return f"{where}replaced: {before} -> {after}, {self._computed()}"
        claims = {"new": (*self.between, *self.after), "withdrawn": self.withdrawn}.get(self.kind, self.before)
        text = "; ".join(
            _claim_text(claim) + (f": {_first_written(claim.first.withdrawn)}" if claim.withdrawn else "")
            for claim in claims
        )
        now = (
            f"; now its earlier {'; '.join(map(_claim_text, self.after))}" if self.kind != "new" and self.after else ""
        )
        return f"{where}{self.sources[0]} {self.kind}: {text}{now}"

    def _computed(self) -> str:
        if self.same_number:
            return "unchanged"
        change = self.change
        if change is None:
            return f"no change computed: {self.no_change_because}"
        return f"{'+' if change > 0 else ''}{change:,}"

    def to_json(self) -> dict:
        data: dict[str, Any] = {"figure": self.figure, "kind": self.kind, "sources": list(self.sources)}
        if self.line:
            data["line"] = self.line
        if self.figure_added or self.figure_removed:
            data["figure_" + ("added" if self.figure_added else "removed")] = True
        for name in ("before", "between", "after", "withdrawn"):
            claims = getattr(self, name)
            if claims:
                data[name] = [_estimate_json(e) for claim in claims for e in claim.estimates]
        if self.kind in ("superseded", "replaced"):
            data["change"] = self.change
            if self.change is None:
                data["no_change_because"] = self.no_change_because
            if self.direction:
                data["direction"] = self.direction
        return data


def _first_written(value: str | dict[str, str]) -> str:
    """A translatable text for a terminal: as written, or in the first language the file gives it in."""
    return value if isinstance(value, str) else next(iter(value.values()))


def _unlike(claims: tuple[Claim, ...]) -> str | None:
    """Why these claims' numbers are not on one scale, so that none is more or less than another: a share of
    the requirement beside an amount (45% and US$200 million), or amounts in different currencies."""
    firsts = [claim.first for claim in claims if isinstance(claim.first, MoneyEstimate)]
    if len({first.amount is None for first in firsts}) > 1:
        return "one number is a share of the requirement and the other an amount"
    if len({first.currency for first in firsts}) > 1:
        return "the amounts are in different currencies"
    return None


def _number(claim: Claim) -> str:
    """'at least 111', '745-1,068': the number as its source worded it, in plain text for a terminal; an amount
    of money as the report writes it ('US$68.5 million (17%)')."""
    if isinstance(claim.first, MoneyEstimate):
        return estimate_number(claim.first)
    low, high = claim.bounds
    number = f"{low:,}" if low == high else f"{low:,}-{high:,}"
    return number if claim.qualifier is Qualifier.exact else f"{claim.qualifier.value.replace('-', ' ')} {number}"


def _worded(claim: Claim) -> str:
    return f"'{_number(claim)}'"


def _claim_text(claim: Claim) -> str:
    """'at least 111 (2025-03-11 via unog-0311, verified)', in the file's ids."""
    vias = [e.via for e in claim.estimates if e.via]
    via = f" via {', '.join(vias)}" if vias else ""
    status = "" if claim.status.value == "reported" else f", {claim.status.value}"
    return f"{_number(claim)} ({claim.as_of.isoformat()}{via}{status})"


def _estimate_json(estimate: Estimate) -> dict:
    return estimate.model_dump(mode="json", exclude_none=True)


@dataclass(frozen=True)
class Change:
    """One change to an entry that is not a figure: ``kind`` is added, dropped, cut or restored.

    The text of the entry, and for services the status before and after.
    """

    section: str
    kind: str
    text: str = ""
    before: str | None = None
    after: str | None = None
    locations: tuple[str, ...] = ()
    entry: Any = None

    def describe(self) -> str:
        """One line for a terminal, in the file's own ids."""
        if self.before or self.after:
            where = ", ".join(self.locations) or "all areas"
            return f"{self.kind} {self.text} ({where}): {self.before or '-'} -> {self.after or '-'}"
        return f"{self.kind}: {self.text}"

    def to_json(self) -> dict:
        return {key: value for key, value in asdict(self).items() if value not in (None, "", ()) and key != "entry"}


@dataclass(frozen=True)
class Changes:
    before_number: int
    after_number: int
    figures: list[FigureChange] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)

    def section(self, name: str) -> list[Change]:
        return [change for change in self.changes if change.section == name]

    def of_figure(self, figure_id: str) -> list[FigureChange]:
        """The changes of a figure of this edition, or of a funding line's amounts ('funding-1' gives
        'funding-1.funded'...); not those of a figure or line the previous edition had under the same id."""
        return [
            change
            for change in self.figures
            if not change.figure_removed and (change.figure == figure_id or change.figure.startswith(f"{figure_id}."))
        ]

    def describe(self) -> str:
        """The changes as text for a terminal, by section."""
        lines = [f"Changes from Situation Report No. {self.before_number} to No. {self.after_number}"]
        if self.figures:
            lines += ["\nfigures:", *(f"  {change.describe()}" for change in self.figures)]
        for name in SECTIONS[1:]:
            if changes := self.section(name):
                lines += [f"\n{name}:", *(f"  {change.describe()}" for change in changes)]
        if len(lines) == 1:
            lines.append("no changes")
        return "\n".join(lines) + "\n"

    def to_json(self) -> dict:
        return {
            "from": self.before_number,
            "to": self.after_number,
            "figures": [change.to_json() for change in self.figures],
            "changes": [change.to_json() for change in self.changes],
        }


def compare(before: Report, after: Report, readings: dict[str, Reading] | None = None) -> Changes:
    """Every fact-level change from ``before`` to ``after`` (whose readings may be given, to read them once).

    The editions are compared as written, whatever edition is being made: texts given per language are
    compared in the new edition's own language, so every edition of a report lists the same changes."""
    result = Changes(before.report.number, after.report.number)
    said = _Said(after.report.languages[0])
    redefined = {
        figure_id
        for figure_id, figure in after.figures.items()
        if figure_id in before.figures and counted(before.figures[figure_id], said) != counted(figure, said)
    }
    result.figures.extend(figure_changes(read_all(before), readings or read_all(after), redefined))
    result.figures.extend(funding_changes(before, after))
    _listed(
        result,
        "events",
        before.events,
        after.events,
        lambda e: (e.date, said(e.text)),
        lambda e: f"{e.date.isoformat()}: {said(e.text)}",
    )
    _services(before, after, result)
    _listed(
        result, "displacement", before.displacement, after.displacement, lambda m: said(m.text), lambda m: said(m.text)
    )
    _listed(
        result,
        "access",
        before.access,
        after.access,
        lambda a: (a.constraint, said(a.text)),
        lambda a: f"{a.constraint.value}: {said(a.text)}",
    )
    _measures(before, after, result, said)
    _response(before, after, result, said)
    _listed(
        result,
        "statements",
        before.statements,
        after.statements,
        lambda s: (said(s.speaker), s.date, s.quote, said(s.summary)),
        lambda s: f"{said(s.speaker)}: {s.quote or said(s.summary)}",
    )
    return result


class _Said:
    """A translatable text as the changes compare and describe it: in the report's own language."""

    def __init__(self, language: str) -> None:
        self.language = language

    def __call__(self, value: str | dict[str, str] | None) -> str | None:
        return None if value is None else written_in(value, self.language)


def counted(figure: Figure, said: Callable[[Any], str | None] = lambda text: text) -> dict[str, Any]:
    """What a figure counts, whatever its label says: its metric, unit, group (as ``said`` reads a text) and
    place, by field."""
    return {"metric": figure.metric, "unit": figure.unit, "group": said(figure.group), "location": figure.location}


def figure_changes(
    before: dict[str, Reading], after: dict[str, Reading], redefined: Collection[str] = ()
) -> list[FigureChange]:
    """What became of each source's current number, figure by figure in the order of the new edition,
    then the figures it no longer has. A figure ``redefined`` (its id kept, but counting something else: see
    ``counted``) is a new figure, and the old one a removed figure: their numbers are never compared."""
    changes = []
    for figure_id, reading in after.items():
        changes += _figure(figure_id, None if figure_id in redefined else before.get(figure_id), reading)
    for figure_id, reading in before.items():
        if figure_id not in after or figure_id in redefined:
            changes += [
                FigureChange(figure_id, "removed", before=series.current, figure_removed=True)
                for series in reading.series
                if series.current
            ]
    return changes


def funding_changes(before: Report, after: Report) -> list[FigureChange]:
    """What became of each source's amounts of each funding line, lines matched by name; a change's ``figure``
    is the line's id and the list, as 'funding-1.funded'."""
    said = _Said(after.report.languages[0])
    old_readings, new_readings = read_funding(before), read_funding(after)
    old_ids = {said(funding.name): funding_id(index) for index, funding in enumerate(before.funding)}
    changes = []
    for index, funding in enumerate(after.funding):
        new_id = funding_id(index)
        old = old_readings.get(old_ids.get(said(funding.name), ""), {})
        for kind, reading in new_readings[new_id].items():
            changes += [
                replace(change, line=said(funding.name))
                for change in _figure(f"{new_id}.{kind}", old.get(kind), reading)
            ]
    names = {said(funding.name) for funding in after.funding}
    for name, old_id in old_ids.items():  # a line no longer in the file (or renamed): nothing goes silently
        if name not in names:
            changes += [
                FigureChange(f"{old_id}.{kind}", "removed", before=series.current, figure_removed=True, line=name)
                for kind, reading in old_readings[old_id].items()
                for series in reading.series
                if series.current
            ]
    return changes


def _figure(figure_id: str, old: Reading | None, new: Reading) -> list[FigureChange]:
    if old is None:
        return [
            FigureChange(figure_id, "new", after=series.current, between=_standing(series.history), figure_added=True)
            for series in new.series
            if series.current
        ]
    changes, added, gone = [], [], []
    for series in new.series:
        earlier = old.series_of(series.source)
        if earlier is None or not earlier.current:
            if series.current:
                added.append(FigureChange(figure_id, "new", after=series.current, between=_standing(series.history)))
        elif not series.current or series.current[0].as_of < earlier.current[0].as_of:
            # The source's number is withdrawn or gone from the file; an older one of its own, if any, is now
            # its current number again (``after``), which is not a change in the toll.
            withdrawn = _withdrawn(earlier.current, series)
            gone.append(
                FigureChange(
                    figure_id,
                    "withdrawn" if withdrawn else "removed",
                    before=earlier.current,
                    after=series.current,
                    withdrawn=withdrawn,
                )
            )
        elif not _same(earlier.current, series.current):
            between = _standing(c for c in series.history if earlier.current[0].as_of < c.as_of)
            changes.append(
                FigureChange(
                    figure_id,
                    "superseded",
                    earlier.current,
                    series.current,
                    between,
                    _withdrawn(earlier.current, series),
                )
            )
    for series in old.series:
        if series.current and new.series_of(series.source) is None:
            gone.append(FigureChange(figure_id, "removed", before=series.current))
    removed = [change for change in gone if change.kind == "removed"]
    if removed and added:  # the number now comes from other sources: one replacement, both sides shown
        return [
            *changes,
            *(c for c in gone if c.kind != "removed"),
            FigureChange(
                figure_id,
                "replaced",
                before=tuple(c for r in removed for c in r.before),
                after=tuple(c for a in added for c in a.after),
            ),
        ]
    return [*changes, *gone, *added]


def _standing(claims) -> tuple[Claim, ...]:
    """The claims that are not withdrawn."""
    return tuple(claim for claim in claims if not claim.withdrawn)


def _withdrawn(before: tuple[Claim, ...], series: Series) -> tuple[Claim, ...]:
    """This edition's withdrawn record of the claims in ``before``: the same number, now marked withdrawn."""
    said = {claim_key(claim.first)[:-1] for claim in before}  # the key without its withdrawn flag
    return tuple(claim for claim in series.history if claim.withdrawn and claim_key(claim.first)[:-1] in said)


def _same(before: tuple[Claim, ...], after: tuple[Claim, ...]) -> bool:
    return len(before) == len(after) and all(any(a.same_as(b) for b in before) for a in after)


def _listed(result: Changes, section: str, before: list, after: list, key, text) -> None:
    old = {key(entry) for entry in before}
    new = {key(entry) for entry in after}
    for entry in after:
        if key(entry) not in old:
            result.changes.append(Change(section, "added", text(entry), entry=entry))
    for entry in before:
        if key(entry) not in new:
            result.changes.append(Change(section, "dropped", text(entry), entry=entry))


def _measures(before: Report, after: Report, result: Changes, said: _Said) -> None:
    """Measures are matched by kind, start and places: new, dropped, or changed (its end, its text)."""

    def key(measure) -> tuple:
        return measure.kind, measure.start, tuple(measure.locations)

    def text(measure) -> str:
        return f"{measure.kind.value}: {said(measure.text)}"

    old = {key(m): m for m in before.measures}
    for measure in after.measures:
        earlier = old.get(key(measure))
        if earlier is None:
            result.changes.append(Change("measures", "added", text(measure), entry=measure))
        elif (earlier.end, said(earlier.text)) != (measure.end, said(measure.text)):
            result.changes.append(
                Change(
                    "measures",
                    "changed",
                    text(measure),
                    before=earlier.end.isoformat() if earlier.end else None,
                    after=measure.end.isoformat() if measure.end else None,
                    entry=measure,
                )
            )
    new = {key(m) for m in after.measures}
    result.changes.extend(Change("measures", "dropped", text(m), entry=m) for m in before.measures if key(m) not in new)


def _response(before: Report, after: Report, result: Changes, said: _Said) -> None:
    """Response entries are matched by cluster: new, dropped, or updated (needs, response or gaps rewritten)."""
    old = {entry.cluster: entry for entry in before.response}
    for entry in after.response:
        earlier = old.get(entry.cluster)
        if earlier is None:
            result.changes.append(Change("response", "added", entry.cluster.value, entry=entry))
        elif tuple(map(said, (earlier.needs, earlier.response, earlier.gaps))) != tuple(
            map(said, (entry.needs, entry.response, entry.gaps))
        ):
            result.changes.append(Change("response", "updated", entry.cluster.value, entry=entry))
    new = {entry.cluster for entry in after.response}
    result.changes.extend(
        Change("response", "dropped", e.cluster.value, entry=e) for e in before.response if e.cluster not in new
    )


def _services(before: Report, after: Report, result: Changes) -> None:
    """Services are matched by sector and places; a change of status is a cut or a restoration."""

    def key(service) -> tuple:
        return service.sector, tuple(service.locations)

    def change(kind: str, service, **status) -> Change:
        return Change("services", kind, service.sector.value, locations=tuple(service.locations), **status)

    old = {key(s): s for s in before.services}
    for service in after.services:
        earlier = old.get(key(service))
        if earlier is None:
            result.changes.append(change("added", service, after=service.status.value))
        elif earlier.status != service.status:
            kind = (
                "restored"
                if service.status.value in ("restored", "functioning")
                else "changed"
                if service.status.value == "unknown"
                else "cut"
            )
            result.changes.append(change(kind, service, before=earlier.status.value, after=service.status.value))
    new = {key(s) for s in after.services}
    for service in before.services:
        if key(service) not in new:
            result.changes.append(change("dropped", service, before=service.status.value))
