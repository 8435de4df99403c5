"""What changed between two editions of a report, fact by fact.

Figures are compared estimate by estimate: an estimate is the same when the same source
said the same number for the same day through the same outlet. A change in a number is
only ever computed between two estimates of one figure from one source, so a reader can
check it against the two numbers shown beside it; numbers from different sources are
never subtracted. Nothing that disappears between editions passes silently: dropped
figures and estimates are changes too.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from .model import Estimate, Report

SECTIONS = ("figures", "events", "services", "displacement", "access", "statements")


@dataclass(frozen=True)
class Trend:
    """One source's newest single number for a figure in each edition, and the difference."""

    figure: str
    before: Estimate
    after: Estimate

    @property
    def change(self) -> int:
        return self.after.value - self.before.value  # type: ignore[operator]  # both are single values

    def describe(self) -> str:
        sign = "+" if self.change > 0 else ""
        return (f"{self.figure}: {self.after.source} {self.before.value:,} ({self.before.as_of.isoformat()}) -> "
                f"{self.after.value:,} ({self.after.as_of.isoformat()}), {sign}{self.change:,}")

    def to_json(self) -> dict:
        return {"figure": self.figure, "source": self.after.source, "change": self.change,
                "before": self.before.model_dump(mode="json", exclude_none=True),
                "after": self.after.model_dump(mode="json", exclude_none=True)}


@dataclass(frozen=True)
class Change:
    """One fact-level change: ``kind`` is added, dropped, cut or restored.

    A change to a figure carries the estimate added or dropped; any other change the
    text of the entry, and for services the status before and after.
    """

    section: str
    kind: str
    text: str = ""
    figure: str | None = None
    estimate: Estimate | None = None
    before: str | None = None
    after: str | None = None
    locations: tuple[str, ...] = ()
    entry: Any = None

    def describe(self) -> str:
        """One line for a terminal, in the file's own ids."""
        if self.estimate is not None:
            return f"{self.kind} {self.figure}: {_estimate_text(self.estimate)}"
        if self.before or self.after:
            where = ", ".join(self.locations) or "all areas"
            return f"{self.kind} {self.text} ({where}): {self.before or '-'} -> {self.after or '-'}"
        return f"{self.kind}: {self.text}"

    def to_json(self) -> dict:
        data = {key: value for key, value in asdict(self).items() if value not in (None, "", ()) and key != "entry"}
        if self.estimate is not None:
            data["estimate"] = self.estimate.model_dump(mode="json", exclude_none=True)
        return data


@dataclass(frozen=True)
class Changes:
    before_number: int
    after_number: int
    changes: list[Change] = field(default_factory=list)
    trends: list[Trend] = field(default_factory=list)

    def section(self, name: str) -> list[Change]:
        return [change for change in self.changes if change.section == name]

    def describe(self) -> str:
        """The changes as text for a terminal, by section."""
        lines = [f"Changes from Situation Report No. {self.before_number} to No. {self.after_number}"]
        for name in SECTIONS:
            changes = self.section(name)
            trends = [t for t in self.trends if name == "figures"]
            if changes or trends:
                lines.append(f"\n{name}:")
                lines += [f"  {change.describe()}" for change in changes]
                lines += [f"  {trend.describe()}" for trend in trends]
        if len(lines) == 1:
            lines.append("no changes")
        return "\n".join(lines) + "\n"

    def to_json(self) -> dict:
        return {
            "from": self.before_number,
            "to": self.after_number,
            "changes": [change.to_json() for change in self.changes],
            "trends": [trend.to_json() for trend in self.trends],
        }


def _estimate_key(estimate: Estimate) -> tuple:
    return (estimate.source, estimate.via, estimate.as_of, estimate.bounds, estimate.qualifier)


def _estimate_text(estimate: Estimate) -> str:
    low, high = estimate.bounds
    number = f"{low:,}" if low == high else f"{low:,}-{high:,}"
    via = f" via {estimate.via}" if estimate.via else ""
    qualifier = "" if estimate.qualifier == "exact" else f"{estimate.qualifier.value.replace('-', ' ')} "
    return f"{qualifier}{number} ({estimate.source}{via}, {estimate.as_of.isoformat()}, {estimate.status.value})"


def compare(before: Report, after: Report) -> Changes:
    """Every fact-level change from ``before`` to ``after``."""
    result = Changes(before.report.number, after.report.number)
    _figures(before, after, result)
    _listed(result, "events", before.events, after.events, lambda e: (e.date, e.text),
            lambda e: f"{e.date.isoformat()}: {e.text}")
    _services(before, after, result)
    _listed(result, "displacement", before.displacement, after.displacement, lambda m: m.text, lambda m: m.text)
    _listed(result, "access", before.access, after.access, lambda a: (a.constraint, a.text),
            lambda a: f"{a.constraint.value}: {a.text}")
    _listed(result, "statements", before.statements, after.statements,
            lambda s: (s.speaker, s.date, s.quote, s.summary), lambda s: f"{s.speaker}: {s.quote or s.summary}")
    return result


def _figures(before: Report, after: Report, result: Changes) -> None:
    for figure_id, figure in after.figures.items():
        old = before.figures.get(figure_id)
        if old is None:
            for estimate in figure.estimates:
                result.changes.append(Change("figures", "added", figure=figure_id, estimate=estimate))
            continue
        old_keys = {_estimate_key(e) for e in old.estimates}
        new_keys = {_estimate_key(e) for e in figure.estimates}
        for estimate in figure.estimates:
            if _estimate_key(estimate) not in old_keys:
                result.changes.append(Change("figures", "added", figure=figure_id, estimate=estimate))
        for estimate in old.estimates:
            if _estimate_key(estimate) not in new_keys:
                result.changes.append(Change("figures", "dropped", figure=figure_id, estimate=estimate))
        result.trends.extend(_trends(figure_id, old.estimates, figure.estimates))
    for figure_id, figure in before.figures.items():
        if figure_id not in after.figures:
            for estimate in figure.estimates:
                result.changes.append(Change("figures", "dropped", figure=figure_id, estimate=estimate))


def _newest_by_source(estimates: list[Estimate]) -> dict[str, Estimate]:
    newest: dict[str, Estimate] = {}
    for estimate in estimates:
        if estimate.source not in newest or estimate.as_of > newest[estimate.source].as_of:
            newest[estimate.source] = estimate
    return newest


def _trends(figure_id: str, old: list[Estimate], new: list[Estimate]) -> list[Trend]:
    """For each source with a single-number estimate in both editions, its newest number in each."""
    before, after = _newest_by_source(old), _newest_by_source(new)
    trends = []
    for source, estimate in after.items():
        earlier = before.get(source)
        if earlier is None or estimate.value is None or earlier.value is None or estimate.as_of <= earlier.as_of:
            continue
        trends.append(Trend(figure_id, earlier, estimate))
    return trends


def _listed(result: Changes, section: str, before: list, after: list, key, text) -> None:
    old = {key(entry) for entry in before}
    new = {key(entry) for entry in after}
    for entry in after:
        if key(entry) not in old:
            result.changes.append(Change(section, "added", text(entry), entry=entry))
    for entry in before:
        if key(entry) not in new:
            result.changes.append(Change(section, "dropped", text(entry), entry=entry))


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
            kind = "restored" if service.status.value in ("restored", "functioning") else "cut"
            result.changes.append(change(kind, service, before=earlier.status.value, after=service.status.value))
    new = {key(s) for s in after.services}
    for service in before.services:
        if key(service) not in new:
            result.changes.append(change("dropped", service, before=service.status.value))
