"""Rules across fields: each a small function that yields findings about a valid Report.

References between entries (a source, location or figure id that does not exist) are
checked by the model itself, so that they are reported with the other errors of a file.
A finding names the place (a field path as a tuple), what is wrong and how to fix it,
and whether it is an error (the report would mislead a reader, so it must not be
published) or a warning (worth a look, but what the report says stays true). The
README lists every rule; keep the two in step.

Sums are computed here only to check the file; the report never shows a number the
tool computed.
"""

from __future__ import annotations

import functools
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from .diff import counted
from .errors import shortened
from .estimates import Claim, Reading, above, extent, later, outdated_totals, read_all, totals_of
from .load import Loc
from .model import Estimate, MoneyEstimate, Month, Report, start_of, write_moment
from .wording import money

if TYPE_CHECKING:
    from .maps import Boundaries

STALE_AFTER = timedelta(days=14)
"""A figure whose newest estimate is older than this, before the report's as-of, is stale."""

PLACEHOLDER = "TODO"
"""The marker `sitrep new` puts where the analyst must write something (found in any case)."""

PLACEHOLDER_COUNTRY = "XXX"
"""The country code `sitrep new` writes when none is given."""


@dataclass(frozen=True)
class Finding:
    """What a rule found, at ``loc``; ``key`` points at the entry's id rather than its contents."""

    loc: Loc
    message: str
    severity: str = "error"
    key: bool = False


@dataclass(frozen=True)
class Context:
    """What the rules look at: the report, its figures as read for their meaning, and its previous
    edition when it names one."""

    report: Report
    previous: Report | None = None
    readings: dict[str, Reading] = None  # type: ignore[assignment]  # read from the report when not given
    written: Report | None = None
    """The report as written, its texts per language (the report itself when not given)."""
    boundaries: Boundaries | None = None
    """The areas of the report's `map:`, read from its boundaries file."""

    def __post_init__(self) -> None:
        if self.readings is None:
            object.__setattr__(self, "readings", read_all(self.report))


Rule = Callable[[Context], Iterator[Finding]]


def _warning(loc: Loc, message: str, *, key: bool = False) -> Finding:
    return Finding(loc, message, "warning", key)


def _estimates(report: Report) -> Iterator[tuple[Loc, str, Estimate]]:
    for figure_id, figure in report.figures.items():
        for index, estimate in enumerate(figure.estimates):
            yield ("figures", figure_id, "estimates", index), figure_id, estimate


FUNDING_AMOUNTS = ("requirement", "funded", "pledged", "allocated")


def _amounts(report: Report) -> Iterator[tuple[Loc, str, MoneyEstimate]]:
    """Every amount of every funding line, with where it is written and which list it is in."""
    for index, funding in enumerate(report.funding):
        for kind in FUNDING_AMOUNTS:
            for position, amount in enumerate(getattr(funding, kind)):
                yield ("funding", index, kind, position), kind, amount


# ---------------------------------------------------------------------------
# Breakdowns


def _cycles(report: Report) -> list[list[str]]:
    """Each loop of `part_of` references, as the figure ids in it, starting with the first written."""
    figures, order = report.figures, list(report.figures)
    loops: list[list[str]] = []
    for figure_id in figures:
        chain, current = [], figure_id
        while current in figures and current not in chain:
            chain.append(current)
            current = figures[current].part_of
        if current == figure_id and not any(figure_id in loop for loop in loops):
            first = chain.index(min(chain, key=order.index))
            loops.append(chain[first:] + chain[:first])
    return loops


def part_of_cycles(context: Context) -> Iterator[Finding]:
    """A breakdown's `part_of` chain must end at a total, never loop back to itself. (error)

    Reported once for each loop, on the first figure of it in the file.
    """
    for loop in _cycles(context.report):
        path = " -> ".join([*loop, loop[0]])
        yield Finding(
            ("figures", loop[0], "part_of"),
            f"'{loop[0]}' ends up as a part of itself through `part_of` ({path}): "
            "a breakdown must point at a larger total",
        )


def part_of_another_unit(context: Context) -> Iterator[Finding]:
    """A part counts other things than its total (buildings as a part of people, families of people). (error)"""
    figures = context.report.figures
    for figure_id, figure in figures.items():
        total = figures.get(figure.part_of) if figure.part_of else None
        if total is not None and total.unit is not figure.unit:
            yield Finding(
                ("figures", figure_id, "part_of"),
                f"'{figure_id}' counts {figure.unit.value} but its total '{figure.part_of}' counts "
                f"{total.unit.value}: a part must count the same things as its total; give one of them "
                "its right `unit`, or remove `part_of`",
            )


def _areas(report: Report, location_id: str) -> list[str]:
    """The location and the areas it lies `within`, innermost first (a loop stops the walk)."""
    chain = []
    while location_id in report.locations and location_id not in chain:
        chain.append(location_id)
        location_id = report.locations[location_id].within
    return chain


def part_of_another_area(context: Context) -> Iterator[Finding]:
    """A part covers an area outside its total's (all of Syria as a part of north-west Syria). (error)

    A part's area must be its total's, or lie `within` it. A total without a location covers the whole area of
    the crisis, so any part may belong to it; a part without a location is read as covering its total's area.
    """
    report = context.report
    for figure_id, figure in report.figures.items():
        total = report.figures.get(figure.part_of) if figure.part_of else None
        if total is None or total.location is None or figure.location in (None, total.location):
            continue
        if total.location not in _areas(report, figure.location):
            yield Finding(
                ("figures", figure_id, "location"),
                f"'{figure.location}' is not within '{total.location}', the area of the total "
                f"'{figure.part_of}': if it is, say so with `within: {total.location}` on the location; "
                "otherwise remove `part_of`, as numbers for other areas are not parts of this total",
            )


def part_larger_than_total(context: Context) -> Iterator[Finding]:
    """A part's estimate exceeds a total's it is part of, at any depth, same source and day. (error)

    As worded: 'more than 1,000' exceeds 1,000; 'up to 1,500' may not, nor may anything 'about' a number.
    """
    figures = context.report.figures
    looped = {figure_id for loop in _cycles(context.report) for figure_id in loop}
    for loc, figure_id, estimate in _estimates(context.report):
        if figure_id in looped:
            continue
        for total_id, total in ((t, e) for t in totals_of(context.report, figure_id) for e in figures[t].estimates):
            if (total.source, total.as_of) == (estimate.source, estimate.as_of) and above(estimate, total):
                yield Finding(
                    loc + ("value",),
                    f"{_worded(estimate)} is more than the {_worded(total)} that {estimate.source} gave "
                    f"the same day for the total '{total_id}': a part cannot exceed its total; check both "
                    "numbers and the `part_of`",
                )


def parts_sum_past_total(context: Context) -> Iterator[Finding]:
    """The parts one source gave on one day add up to more than that source's total that day. (warning)

    A warning, not an error: parts may overlap (children are also civilians). Each part counts once, by the
    smallest number it allows that day (one number through two outlets is one number; 'up to 500' allows 0),
    withdrawn numbers not at all; a total counts by the largest it allows ('at least 1,000' has no top).
    """
    figures = context.report.figures
    looped = {figure_id for loop in _cycles(context.report) for figure_id in loop}
    parts: dict[tuple[str, str, date], dict[str, int]] = defaultdict(dict)
    for _, figure_id, estimate in _estimates(context.report):
        if figures[figure_id].part_of in figures and figure_id not in looped and estimate.withdrawn is None:
            day = parts[(figures[figure_id].part_of, estimate.source, estimate.as_of)]
            least = int((extent(estimate) or (0, 0))[0])  # 'up to 500' and 'about 500' may be as little as 0
            day[figure_id] = min(least, day.get(figure_id, least))
    for total_id, total in figures.items():
        for index, estimate in enumerate(total.estimates):
            found = {part: n for part, n in parts.get((total_id, estimate.source, estimate.as_of), {}).items() if n}
            most = (extent(estimate) or (0, float("inf")))[1]  # 'at least' and 'about' totals have no known top
            if estimate.withdrawn is None and len(found) > 1 and sum(found.values()) > most:
                added = " + ".join(f"{number:,} ({figure_id})" for figure_id, number in found.items())
                yield _warning(
                    ("figures", total_id, "estimates", index, "value"),
                    f"the parts of '{total_id}' that {estimate.source} gave on {estimate.as_of.isoformat()}, "
                    f"{added}, add up to {sum(found.values()):,}, more than the total of {_worded(estimate)} it "
                    "gave that day: check the numbers, or whether the parts overlap",
                )


def totals_overtaken_by_parts(context: Context) -> Iterator[Finding]:
    """A total whose current number is older, or smaller, than a part's of the same status. (warning)

    The report prints the same note beside the total, so readers are told too.
    """
    for outdated in outdated_totals(context.report, context.readings):
        how = " and ".join(word for word, found in (("older", outdated.newer), ("smaller", outdated.larger)) if found)
        named = "; ".join(_said(claim) for claim in outdated.named)
        yield _warning(
            _claim_loc(context.report, outdated.total, outdated.claim) + ("as_of",),
            f"the total's current number, {_said(outdated.claim)}, is {how} than its part "
            f"'{outdated.part}': {named}; look for a newer total (the report notes this beside it)",
        )


def several_numbers_one_day(context: Context) -> Iterator[Finding]:
    """One source giving different numbers for one figure on the same day, or a month and a day of it. (warning)

    All are shown; none is picked. Usually one outlet misreported, or one of them was withdrawn.
    """
    for figure_id, reading in context.readings.items():
        for series in reading.series:
            by_day: dict[date, list[Claim]] = defaultdict(list)
            for claim in series.claims:
                if not claim.withdrawn:
                    by_day[claim.as_of].append(claim)
            for day, claims in by_day.items():
                if len(claims) > 1:
                    said = " and ".join(_number(claim.first) for claim in claims)
                    yield _warning(
                        _claim_loc(context.report, figure_id, claims[-1]) + ("value",),
                        f"{series.source} gives {said} for '{figure_id}' on {day.isoformat()}: each is "
                        "shown as its number for that day; check which is right, and mark a number the "
                        "source has taken back with `withdrawn:`",
                    )
            month = next((c for c in series.current if isinstance(c.as_of, Month)), None)
            day = next((c for c in series.current if not isinstance(c.as_of, Month)), None)
            if month and day and month.wording != day.wording:
                yield _warning(
                    _claim_loc(context.report, figure_id, month) + ("as_of",),
                    f"{series.source} gives {_worded(month.first)} for '{figure_id}' in {month.as_of.isoformat()} "
                    f"and {_worded(day.first)} on {day.as_of.isoformat()}, a day of that month: the two cannot be "
                    "put in order, so both are shown as its current numbers; give the month's number its day if "
                    "the source says it, or mark the one it has replaced with `withdrawn:`",
                )


def _claim_loc(report: Report, figure_id: str, claim: Claim) -> Loc:
    """Where the first estimate of ``claim`` is written."""
    index = next(i for i, e in enumerate(report.figures[figure_id].estimates) if e is claim.first)
    return ("figures", figure_id, "estimates", index)


def _said(claim: Claim) -> str:
    """'1,018 from sohr on 2025-03-08', in the file's ids."""
    return f"{_worded(claim.first)} from {claim.source} on {claim.as_of.isoformat()}"


def _worded(estimate: Estimate) -> str:
    """'more than 1,000', '745-1,068': the number with its qualifier, in the file's terms."""
    qualifier = "" if estimate.qualifier.value == "exact" else estimate.qualifier.value.replace("-", " ") + " "
    return qualifier + _number(estimate)


def _number(estimate: Estimate) -> str:
    low, high = estimate.bounds
    return f"{low:,}" if low == high else f"{low:,}-{high:,}"


# ---------------------------------------------------------------------------
# Dates


def figures_all_withdrawn(context: Context) -> Iterator[Finding]:
    """A figure whose every number is withdrawn. (warning)

    The report shows it with no current number, beside the numbers taken back.
    """
    for figure_id, reading in context.readings.items():
        if not any(series.current for series in reading.series):
            yield _warning(
                ("figures", figure_id),
                f"every number of '{figure_id}' is withdrawn, so the report shows it with no current number: "
                "add the number its sources give now, or remove the figure",
            )


def lead_older_than_others(context: Context) -> Iterator[Finding]:
    """A figure's `lead` whose current number is older than another source's of the same status. (warning)

    The lead stays the analyst's choice; an older count leading a newer one is worth a second look (a count
    leading a newer estimate, or a verified minimum, is what a lead is for).
    """
    for figure_id, reading in context.readings.items():
        lead = reading.series_of(reading.lead) if reading.lead else None
        if lead is None or not lead.current:
            continue
        own = max(claim.as_of for claim in lead.current)
        newer = [
            claim
            for series in reading.series
            if series is not lead
            for claim in series.current
            if later(claim.as_of, own) and claim.status in {mine.status for mine in lead.current}
        ]
        if newer:
            yield _warning(
                ("figures", figure_id, "lead"),
                f"the lead, {reading.lead}, gives '{figure_id}' as of {own.isoformat()}, older than "
                f"{'; '.join(_said(claim) for claim in newer)}: check that its number should still lead",
            )


def estimate_after_report(context: Context) -> Iterator[Finding]:
    """An estimate dated after the report's as-of cannot have been known. (error)"""
    as_of = context.report.report.as_of.date()
    dated = [(loc, estimate) for loc, _, estimate in _estimates(context.report)]
    dated += [(loc, amount) for loc, _, amount in _amounts(context.report)]
    for loc, estimate in dated:
        if start_of(estimate.as_of) > as_of:  # a month is possible as soon as it has begun
            yield Finding(
                loc + ("as_of",),
                f"{estimate.as_of.isoformat()} is after the report's as-of "
                f"({as_of.isoformat()}): check the date, or move the report's `as_of` on",
            )


def stale_figures(context: Context) -> Iterator[Finding]:
    """A figure whose newest estimate is much older than the report. (warning)"""
    as_of = context.report.report.as_of.date()
    for figure_id, figure in context.report.figures.items():
        newest = max(range(len(figure.estimates)), key=lambda i: figure.estimates[i].as_of)
        age = as_of - figure.estimates[newest].as_of
        if age > STALE_AFTER:
            yield _warning(
                ("figures", figure_id, "estimates", newest, "as_of"),
                f"the newest estimate of '{figure_id}' is {age.days} days older than the report: "
                "look for a newer estimate, or remove the figure if it no longer matters",
            )


def dates_outside_period(context: Context) -> Iterator[Finding]:
    """Events, statements and movements dated outside the period covered. (warning)

    In a series (the report names its `previous` edition) the timeline may keep earlier
    events as context, so only dates after the period are flagged there.
    """
    period = context.report.report.period
    in_series = context.report.report.previous is not None
    dated = [(("events", i, "date"), e.date) for i, e in enumerate(context.report.events)]
    dated += [(("statements", i, "date"), s.date) for i, s in enumerate(context.report.statements) if s.date]
    dated += [(("displacement", i, "date"), m.date) for i, m in enumerate(context.report.displacement) if m.date]
    for loc, when in dated:
        if start_of(when) > period.end or (when < period.start and not in_series):  # a month overlapping counts
            yield _warning(
                loc,
                f"{when.isoformat()} is outside the period covered ({period.start.isoformat()} to "
                f"{period.end.isoformat()}): check the date, or widen `report.period`",
            )


# ---------------------------------------------------------------------------
# Sources, locations and text


def unused_sources(context: Context) -> Iterator[Finding]:
    """A source no claim points at. (warning)"""
    used = _used_sources(context.report)
    for source_id in context.report.sources:
        if source_id not in used:
            yield _warning(
                ("sources", source_id), f"source '{source_id}' is never cited: cite it or remove it", key=True
            )


def _used_sources(report: Report) -> set[str]:
    used = {s for _, _, e in _estimates(report) for s in (e.source, e.via) if s}
    for section in (report.highlights, report.events, report.services, report.displacement, report.access):
        used.update(source for entry in section for source in entry.sources)
    used.update(s for statement in report.statements for s in (statement.source, statement.via) if s)
    used.update(
        source for section in (report.measures, report.response) for entry in section for source in entry.sources
    )
    used.update(s for _, _, amount in _amounts(report) for s in (amount.source, amount.via) if s)
    return used


def locations_in_other_countries(context: Context) -> Iterator[Finding]:
    """A location in a country the report does not name, or an area `within` a loop. (error)"""
    report = context.report
    countries = report.report.countries
    for location_id, location in report.locations.items():
        if location.country and location.country not in countries:
            yield Finding(
                ("locations", location_id, "country"),
                f"'{location.country}' is not among the report's countries ({', '.join(countries)}): add "
                "it to `report.country` (a list, such as [SYR, TUR]), or check the code",
            )
        if location.within and location_id in _areas(report, location.within):
            yield Finding(
                ("locations", location_id, "within"),
                f"'{location_id}' ends up within itself through `within`: point it at a larger area",
            )


def map_areas(context: Context) -> Iterator[Finding]:
    """The areas map: places matched to its areas by p-code, one source's one number for each. (error)

    So that nothing is added up or chosen across sources. An area the map's named source gives no number for
    is only a warning: it is shown as having no data."""
    report, boundaries = context.report, context.boundaries
    if report.map is None or boundaries is None:
        return
    name, known = report.map.boundaries, boundaries.pcodes
    shown = ", ".join(sorted(known)[:8]) + (", ..." if len(known) > 8 else "")
    for location_id, location in report.locations.items():
        if location.pcode and location.pcode not in known and location.admin_level == boundaries.level:
            yield Finding(
                ("locations", location_id, "pcode"),
                f"no area of {name} has the p-code '{location.pcode}' (it has {shown}): check the code, "
                "or the boundaries file's level",
            )
    chosen = report.map.figure
    if chosen is None:
        return
    shaded = report.shading
    if not shaded:
        yield Finding(
            ("map", "figure"),
            f"no figure is `part_of: {chosen}` with a place that has a p-code, so no area can be shaded: "
            f"give each part by place a `location:` whose `pcode:` is an area of {name}",
        )
    by_area: dict[str, list[str]] = defaultdict(list)
    for figure_id, pcode in shaded.items():
        by_area[pcode].append(figure_id)
    for pcode, figure_ids in by_area.items():
        for figure_id in figure_ids[1:]:
            yield Finding(
                ("figures", figure_id, "part_of"),
                f"'{figure_ids[0]}' and '{figure_id}' both count {chosen} in the area {pcode}, so the map would "
                f"shade it by one of them and leave the other out: keep `part_of: {chosen}` on one of them",
            )
    sources = set()
    for figure_id, pcode in shaded.items():
        location = report.figures[figure_id].location
        if pcode not in known and report.locations[location].admin_level != boundaries.level:  # else said above
            yield Finding(
                ("figures", figure_id, "location"),
                f"'{location}' (p-code {pcode}) is not an area of {name}, so '{figure_id}' cannot shade it: "
                "use boundaries at the place's level, or leave the figure out of the map",
            )
        reading = context.readings[figure_id]
        series = [s for s in reading.series if s.current and report.map.source in (None, s.source)]
        sources |= {s.source for s in series}
        if report.map.source and not series:
            yield _warning(
                ("figures", figure_id),
                f"'{report.map.source}' (the map's source) gives no current number for '{figure_id}': "
                "its area is shown as having no data",
            )
        for one in series:
            for claim in one.current:
                reach = extent(claim)
                if reach is not None and reach[0] == 0 and claim.bounds != (0, 0):
                    yield Finding(
                        _claim_loc(report, figure_id, claim) + ("value",),
                        f"{_worded(claim.first)} may be anything from 0, so its area cannot be shaded by it (the "
                        "map shades by the least number a source allows, and 0 is for a source that said none): "
                        "give a number or a range above 0, or leave the figure out of the map",
                    )
            if len(one.current) > 1:
                yield Finding(
                    ("figures", figure_id),
                    f"{one.source} gives {len(one.current)} numbers for '{figure_id}' on its latest day, "
                    "so its area cannot be shaded by one: mark the wrong one `withdrawn:`",
                )
    if report.map.source is None and len(sources) > 1:
        yield Finding(
            ("map", "figure"),
            f"the areas' numbers come from several sources ({', '.join(sorted(sources))}): say whose "
            "numbers shade the map with `source:` (nothing is added up or chosen across sources)",
        )


def coverage_over_requirement(context: Context) -> Iterator[Finding]:
    """Funding above its requirement: a share over 100%, or an amount above the same day's requirement. (warning)

    Only a requirement the same source gave the same day, in the same currency, is compared, and neither
    may be withdrawn.
    """
    for index, funding in enumerate(context.report.funding):
        for kind in ("funded", "pledged"):
            for position, amount in enumerate(getattr(funding, kind)):
                loc = ("funding", index, kind, position)
                if amount.withdrawn is not None:
                    continue
                if amount.percent is not None and amount.percent > 100:
                    yield _warning(
                        loc + ("percent",),
                        f"{amount.percent}% is more than the whole requirement: "
                        "check the share, or whether it is of another appeal",
                    )
                for required in funding.requirement:
                    if required.withdrawn is not None:
                        continue
                    same = (required.source, required.as_of, required.currency) == (
                        amount.source,
                        amount.as_of,
                        amount.currency,
                    )
                    if (
                        same
                        and amount.amount is not None
                        and required.amount is not None
                        and amount.amount > required.amount
                    ):
                        yield _warning(
                            loc + ("amount",),
                            f"{money(amount.amount, amount.currency)} {kind} is more "
                            f"than the requirement of {money(required.amount, required.currency)} that "
                            f"{amount.source} gave the same day: check both amounts",
                        )


def unused_locations(context: Context) -> Iterator[Finding]:
    """A location nothing points at. (warning)"""
    report = context.report
    used = {figure.location for figure in report.figures.values()}
    used |= {funding.location for funding in report.funding}
    used |= {location.within for location in report.locations.values()}
    for section in (report.events, report.services, report.displacement, report.access, report.measures):
        used.update(location for entry in section for location in entry.locations)
    for location_id in report.locations:
        if location_id not in used:
            yield _warning(
                ("locations", location_id), f"location '{location_id}' is never used: use it or remove it", key=True
            )


_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩٬٫٪۰۱۲۳۴۵۶۷۸۹", "0123456789,.%0123456789", "\u200e\u200f\u061c")
"""Arabic-Indic and Persian digits and the Arabic separators and per cent sign, read as Latin ones; the
marks that keep a number's direction, dropped."""
_GROUPED = {",": r"(?:,\d{3})+", " ": r"(?:[ \u00a0\u202f]\d{3})+"}
"""How thousands are grouped: 1,018 in English and Arabic, 1 018 in French."""
_SCALES = {
    "thousand": 10**3,
    "thousands": 10**3,
    "ألف": 10**3,
    "آلاف": 10**3,
    "million": 10**6,
    "millions": 10**6,
    "billion": 10**9,
    "billions": 10**9,
    "milliard": 10**9,
    "milliards": 10**9,
    "مليون": 10**6,
    "ملايين": 10**6,
    "مليونا": 10**6,
    "مليونًا": 10**6,
    "مليار": 10**9,
    "مليارات": 10**9,
    "مليارا": 10**9,
    "مليارًا": 10**9,
}
"""Words for thousands, millions and billions in the languages sitrep has catalogs for."""
_PER_CENT = r"(?:%|per\s?cent\b|pour\s?cent\b|بالمئة|بالمائة|في المئة|في المائة)"
_YEARS = re.compile(r"(?<![\w.,])(?:19|20)\d\d(?!\w|,\d)")
"""A bare year (1900 to 2099) in prose: a date, not a count."""


MONTH_LOCALES = ("en", "fr", "ar", "ar_SY")
"""The locales whose month names mark a number in prose as a day: those sitrep has catalogs for (and Arabic's
Levantine names, as in Syria)."""


@functools.cache
def _dates() -> re.Pattern:
    """Dates and durations in the languages sitrep has catalogs for: numbers in prose that are not counts."""
    import babel

    from .cache import kept

    # Babel loads a locale's whole data to give its month names: they are kept in the cache, per Babel version
    names = kept("dates", " ".join(MONTH_LOCALES).encode(), _month_names, _read_names, version=babel.__version__)
    # as written: 'May' and 'Mar' are months, 'may' and 'Marines' are not ('mai' and 'Mai' both are)
    months = {*names, *(name[:1].upper() + name[1:] for name in names), "Sept"}
    month = "(?:" + "|".join(sorted((re.escape(m.rstrip(".")) for m in months), key=len, reverse=True)) + r")\.?(?!\w)"
    year = r"(?:19|20)\d\d(?!\d)"
    return re.compile(
        rf"(?<!\d)(?:\d{{1,2}}[-–])?\d{{1,2}}(?:er)?\s+{month}(?:\s+{year})?"  # 8 March, 11-12 February
        rf"|(?<!\w){month}\s+(?:\d{{1,2}},?\s+)?(?:{year})?"
        rf"|(?i:\b(?:in|since|of|from|until|by|before|after|en|depuis|de|du|jusqu'en)\s+{year})"
        r"|(?i:\b\d+\s+(?:minutes|hours|days|weeks|months|years|heures|jours|semaines|mois|ans)\b)"
        r"|\b(?:19|20)\d\d-\d\d(?:-\d\d)?\b"  # an ISO date, 2025-03-08
        r"|\b\d{1,2}:\d\d\b"  # a time, 18:00
        r"|\b[A-Za-z]+-\d+\b"  # a name with a number, COVID-19
        r"|(?i:\b(?:resolution|résolution|no\.|n°)\s*\d+)|(?:القرار|قرار)\s*\d+"  # a resolution's, an edition's
        r"|\+\d[\d ()-]{6,}\d"  # a telephone number, +41 22 917 1234
    )


def _month_names(locales: bytes) -> bytes:
    """The month names, wide and abbreviated, of each of the space-separated ``locales``, as a JSON list."""
    from babel.dates import get_month_names

    names = {
        name
        for locale in locales.decode().split()
        for width in ("wide", "abbreviated")
        for context in ("format", "stand-alone")
        for name in get_month_names(width, context, locale).values()
    }
    return json.dumps(sorted(names), ensure_ascii=False).encode("utf-8")


def _read_names(data: bytes) -> list[str]:
    names = json.loads(data)
    if not isinstance(names, list) or not names or not all(isinstance(name, str) and name for name in names):
        raise ValueError("not a list of month names")
    return names


def numbers_in(text: str, language: str) -> Iterator[tuple[str, str, Decimal]]:
    """The numbers written in ``text`` (in ``language``), as ('count' | 'scaled' | 'share', as written, value):
    '1,068' and '١٬٠٦٨' and '1 068' are 1068, '1.9 million' and '1,9 million' and '١٫٩ مليون' are 1900000;
    dates ('8 March', '٨ آذار 2025') and bare years are not numbers of anything."""
    decimal, grouping = (",", " ") if language.split("-")[0] == "fr" else (".", ",")
    emphasis = re.sub(r"[*_]", " ", text.translate(_DIGITS))  # Markdown's '_3,700_' and '**3,700**' are 3,700
    plain = _YEARS.sub(" ", _dates().sub(" ", emphasis))
    number = rf"\d{{1,3}}{_GROUPED[grouping]}|\d+(?:{re.escape(decimal)}\d+)?"
    start = r"(?:(?<=[وبلفك])|(?<![\w.,]))"  # Arabic writes 'and', 'with', 'for' joined to a number: و٤٥٠
    end = r"(?!\w|,\d)"  # a comma after a number ends it ('3,800, the ministry said') unless digits follow
    scaled = re.compile(rf"{start}({number})\s+({'|'.join(_SCALES)})(?!\w)", re.IGNORECASE)
    share = re.compile(rf"{start}({number})\s?{_PER_CENT}", re.IGNORECASE)
    counts = re.compile(rf"{start}\d{{1,3}}{_GROUPED[grouping]}{end}|{start}\d{{2,}}{end}")

    def value(written: str) -> Decimal:
        return Decimal(re.sub(r"[ ,\u00a0\u202f]", "", written.replace(decimal, "#")).replace("#", "."))

    for match in scaled.finditer(plain):
        yield "scaled", match.group(0), value(match.group(1)) * _SCALES[match.group(2).lower()]
    for match in share.finditer(plain):
        yield "share", match.group(0), value(match.group(1))
    for written in counts.findall(share.sub(" ", scaled.sub(" ", plain))):
        yield "count", written, value(written)


RESPONSE = ("needs", "response", "gaps")
"""The analyst's words of a response entry."""


def numbers_without_figures(context: Context) -> Iterator[Finding]:
    """A number in the analyst's prose that no figure gives, so no source backs it. (warning)

    The prose (narrative, highlights, events, services, displacement, access, measures, the response, gaps,
    paraphrased statements; never a verbatim quote) is read in each of the report's languages: '1 068' and
    '١٬٠٦٨' are 1,068; dates and years are not numbers of anything."""
    report, written = context.report, context.written or context.report
    # a number the source took back backs nothing
    known = {bound for _, _, e in _estimates(report) if e.withdrawn is None for bound in e.bounds}
    amounts = [amount for _, _, amount in _amounts(report) if amount.withdrawn is None]
    known |= {amount.amount for amount in amounts if amount.amount is not None}
    shares = {amount.percent for amount in amounts if amount.percent is not None}
    texts: list[tuple[Loc, str | dict[str, str] | None]] = [
        (("narrative", "overview"), written.narrative.overview),
        (("narrative", "outlook"), written.narrative.outlook),
    ]
    texts += [(("highlights", i, "text"), h.text) for i, h in enumerate(written.highlights)]
    for section in ("events", "services", "displacement", "access", "measures"):
        texts += [((section, i, "text"), entry.text) for i, entry in enumerate(getattr(written, section))]
    texts += [(("response", i, key), getattr(r, key)) for i, r in enumerate(written.response) for key in RESPONSE]
    texts += [(("gaps", i, key), getattr(g, key)) for i, g in enumerate(written.gaps) for key in ("text", "why")]
    texts += [(("statements", i, "summary"), s.summary) for i, s in enumerate(written.statements)]  # not quotes
    texts = [(loc, value) for loc, value in texts if value]
    own = written.report.languages[0]
    for loc, value in texts:
        for where, language, text in (
            [(loc, own, value)] if isinstance(value, str) else [((*loc, tag), tag, said) for tag, said in value.items()]
        ):
            for kind, said, number in numbers_in(text, language):
                if kind == "share" and number not in shares:
                    yield _warning(
                        where,
                        f"the share {shortened(said)} is not given by any funding line, so no source "
                        "backs it: add it with its source, or check it",
                    )
                elif kind != "share" and number not in known:
                    what = "figure or funding line" if kind == "scaled" else "figure"
                    advice = (
                        "add it with its source" if kind == "scaled" else "add it as a figure estimate with its source"
                    )
                    yield _warning(
                        where,
                        f"the number {shortened(said)} is not given by any {what}, so no source backs it: "
                        f"{advice}, or check it",
                    )


def translations(report: Report, languages: tuple[str, ...] = ()) -> list[Finding]:
    """The analyst's texts missing in a language of the report (or of an edition asked for): that edition
    shows them in the file's language, marked as not translated; languages sitrep has no catalog for, whose
    editions' headings stay English; texts in a language the report does not list. (warnings)"""
    from .editions import missing_translations
    from .language import ENGLISH, catalog_languages, primary

    declared = report.report.languages
    own = declared[0]
    wanted = tuple(dict.fromkeys((*declared, *languages)))
    findings = []
    for tag in wanted:
        if primary(tag) not in catalog_languages():
            findings.append(
                _warning(
                    ("report", "language"),
                    f"sitrep has no catalog for {ENGLISH.name_of(tag)} "
                    f"({tag}): the headings and labels of its edition stay in English; the README "
                    "says how to add one",
                )
            )
    for loc, lacking in missing_translations(report, wanted):
        names = ", ".join(f"{ENGLISH.name_of(tag)} ({tag})" for tag in lacking)
        findings.append(
            _warning(
                loc,
                f"no text in {names}: the edition shows the {ENGLISH.name_of(own)} text, "
                f"marked as not translated; add {', '.join(f'`{tag}: ...`' for tag in lacking)}",
            )
        )
    for loc, tag in _undeclared(report, declared):
        findings.append(
            _warning(
                (*loc, tag),
                f"'{tag}' is not one of the report's languages ({', '.join(declared)}), "
                "so no edition shows this text: add it to `report.language`, or remove it",
                key=True,
            )
        )
    return findings


def _undeclared(report: Report, declared: tuple[str, ...]) -> Iterator[tuple[Loc, str]]:
    """Each language a text is given in that the report does not list, at the first text given in it."""
    from .editions import texts_by_language

    seen = set(declared)
    for loc, value in texts_by_language(report):
        for tag in value:
            if tag not in seen:
                seen.add(tag)
                yield loc, tag


def placeholders(context: Context) -> Iterator[Finding]:
    """Text still holding the `TODO` marker, and estimates still marked for review. (warning)"""
    marker = re.compile(rf"\b{PLACEHOLDER}\b", re.IGNORECASE)
    for loc, text in _texts((context.written or context.report).model_dump(by_alias=True), ()):
        if marker.search(text):
            yield _warning(loc, f"placeholder '{PLACEHOLDER}' left in the text: write the real text")
    if PLACEHOLDER_COUNTRY in context.report.report.countries:
        yield _warning(
            ("report", "country"),
            f"'{PLACEHOLDER_COUNTRY}' is a placeholder: write the affected "
            "country's ISO 3166-1 alpha-3 code, such as SYR",
        )
    for loc, _, estimate in (*_estimates(context.report), *_amounts(context.report)):
        if estimate.review:
            yield _warning(loc + ("review",), f"marked for review: {estimate.review}")


def _texts(data: object, loc: Loc) -> Iterator[tuple[Loc, str]]:
    if isinstance(data, str):
        yield loc, data
    elif isinstance(data, dict):
        for key, value in data.items():
            if key != "review":
                yield from _texts(value, loc + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _texts(value, loc + (index,))


# ---------------------------------------------------------------------------
# Series


def figures_redefined(context: Context) -> Iterator[Finding]:
    """A figure id of the previous edition that counts something else now (metric, unit, group, place). (warning)

    The report shows it as a new figure, and the previous edition's as no longer reported: their numbers are
    never compared (households are not subtracted from people).
    """
    if context.previous is None:
        return
    number = context.previous.report.number
    for figure_id, figure in context.report.figures.items():
        old = context.previous.figures.get(figure_id)
        if old is None:
            continue
        now = counted(figure)
        for name, before in counted(old).items():
            if before != now[name]:
                yield _warning(
                    ("figures", figure_id, name),
                    f"its {name} was {_written(before)} in No. {number} and is {_written(now[name])} now, so the "
                    f"report shows it as a new figure and does not compare its numbers with No. {number}'s; "
                    "if it counts what it did, write the same; if it is another figure, give it another id",
                )
                break


def _written(value: object) -> str:
    return "not given" if value is None else f"'{value}'"


def follows_previous(context: Context) -> Iterator[Finding]:
    """An edition must follow the one it names as `previous`: same crisis, next number, later as-of. (error)

    A gap or an overlap between the two periods is a warning.
    """
    if context.previous is None:
        return
    info, before = context.report.report, context.previous.report
    if info.crisis != before.crisis:
        yield Finding(
            ("report", "crisis"),
            f"the previous edition is of crisis '{before.crisis}', this one of "
            f"'{info.crisis}': use the same crisis id across a series",
        )
    if info.number != before.number + 1:
        yield Finding(
            ("report", "number"),
            f"the previous edition is No. {before.number}, so this one should be "
            f"No. {before.number + 1}, not {info.number}",
        )
    if info.as_of <= before.as_of:
        yield Finding(
            ("report", "as_of"),
            f"this edition's as-of is not after the previous edition's ({write_moment(before.as_of)}): move it on",
        )
    expected_start = before.period.end + timedelta(days=1)
    if info.period.start != expected_start:
        relation = "overlaps" if info.period.start <= before.period.end else "leaves a gap after"
        yield _warning(
            ("report", "period", "from"),
            f"the period {relation} the previous edition's (which ends "
            f"{before.period.end.isoformat()}): it usually starts on {expected_start.isoformat()}",
        )


RULES: list[Rule] = [
    part_of_cycles,
    part_of_another_unit,
    part_of_another_area,
    part_larger_than_total,
    parts_sum_past_total,
    totals_overtaken_by_parts,
    several_numbers_one_day,
    figures_all_withdrawn,
    lead_older_than_others,
    estimate_after_report,
    stale_figures,
    dates_outside_period,
    unused_sources,
    locations_in_other_countries,
    unused_locations,
    coverage_over_requirement,
    map_areas,
    numbers_without_figures,
    placeholders,
    follows_previous,
    figures_redefined,
]


def run(
    report: Report,
    previous: Report | None = None,
    readings: dict[str, Reading] | None = None,
    written: Report | None = None,
    boundaries: Boundaries | None = None,
) -> list[Finding]:
    """Every finding of every rule about ``report``, with its figures as read for their meaning if at hand:
    ``report`` as its own language's edition reads it and ``written`` as written (its texts per language), or
    ``report`` alone as written."""
    if written is None:  # a report as written: the rules read it as its own language's edition does
        from .editions import own_edition

        written, report = report, own_edition(report)
        previous = previous and own_edition(previous)
    context = Context(report, previous, readings, written, boundaries)
    return [finding for rule in RULES for finding in rule(context)]
