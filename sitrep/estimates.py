"""What a figure's estimates mean: each source's series, and the disagreement between sources.

A figure (people killed, say) has estimates: who said how many, and when. They mean two
different things, and a report that mixes them up misleads its readers:

- The estimates of one source (the same ``source``) are that source's **series**. Its newest
  number is its *current* number; the older ones are its *history* ("1,644 on 29 March, then
  2,056 on 31 March"): a toll rising over days, never the two ends of a range.
- The current numbers of different sources are a **disagreement**. They are shown side by side,
  each with its qualifier, status and date. A *spread* ("13 to at least 16") is only ever drawn
  between current numbers of the same status, each end attributed; a verified count is never an
  end of a spread with reported ones: it is shown beside them.
- A *range* is what one source gave as a range (``low`` and ``high``).
- Which number leads (the big number in the key-figures panel) is the analyst's choice, written
  in the file as the figure's ``lead`` source. Without one, each source's current number is shown;
  a number leads by itself only when it is the only one, when every source says the same, or as
  the spread of a disagreement among sources of one status. Nothing is picked silently.

This module reads the meaning out of the model, once per build: ``read(figure)`` gives a
``Reading`` that the checks, the changes between editions and the view share. It formats
nothing and computes no new number: every number in a ``Reading`` is one a source gave.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .model import Estimate, Figure, MoneyEstimate, Month, Qualifier, Report, Status

REACH = {Qualifier.up_to: 0, Qualifier.about: 1, Qualifier.exact: 2, Qualifier.at_least: 3, Qualifier.more_than: 4}
"""How far up a number reaches as worded: 'up to 16' < 'about 16' < '16' < 'at least 16' < 'more than 16'.
Orders the claims of a spread that give the same number in different words, so that its ends are
the claims that reach furthest down and furthest up."""


def extent(number: Claim | Estimate | MoneyEstimate) -> tuple[float, float] | None:
    """The numbers a claim or an estimate allows, lowest and highest ('at least 16': 16 to no end, 'up to 16':
    0 to 16); None for 'about', whose reach is unknown."""
    low, high = number.bounds
    return {
        Qualifier.exact: (low, high),
        Qualifier.at_least: (low, float("inf")),
        Qualifier.more_than: (low + 1, float("inf")),
        Qualifier.up_to: (0, high),
    }.get(number.qualifier)


@dataclass(frozen=True)
class Claim:
    """One number as one source worded it for one day, and the estimates that carry it.

    The same number reaching the analyst through several outlets (``via``) is one claim with
    several estimates; it is never counted as a disagreement.
    """

    estimates: tuple[Estimate, ...]

    @property
    def first(self) -> Estimate:
        return self.estimates[0]

    @property
    def source(self) -> str:
        return self.first.source

    @property
    def as_of(self) -> date:
        return self.first.as_of

    @property
    def bounds(self) -> tuple[int, int]:
        return self.first.bounds

    @property
    def qualifier(self) -> Qualifier:
        return self.first.qualifier

    @property
    def status(self) -> Status:
        return self.first.status

    @property
    def withdrawn(self) -> bool:
        return self.first.withdrawn is not None

    @property
    def exact_value(self) -> int | None:
        """The number, when it is one exact number (not a range, not 'at least'): only these are subtracted."""
        return self.first.value if self.qualifier is Qualifier.exact and self.first.value is not None else None

    @property
    def wording(self) -> tuple:
        """What the claim says, whoever says it: two claims with the same wording agree (amounts of money only
        in the same currency, and with the same share beside them)."""
        return self.bounds, self.qualifier, self.status, *_money(self.first)

    def same_as(self, other: Claim) -> bool:
        """The same source saying the same number for the same day."""
        return (self.source, self.as_of, self.wording) == (other.source, other.as_of, other.wording)


def claim_key(estimate: Estimate | MoneyEstimate) -> tuple:
    """Estimates with the same key are one claim: same source, day, number, wording, status and standing (and,
    for money, currency and share)."""
    return (
        estimate.source,
        estimate.as_of,
        estimate.bounds,
        estimate.qualifier,
        estimate.status,
        *_money(estimate),
        estimate.withdrawn is not None,
    )  # last: a claim and its withdrawn record differ only in it


def _money(estimate: Estimate | MoneyEstimate) -> tuple:
    """An amount's currency and the share given beside it (or alone: then the bounds are that share)."""
    return (estimate.currency, estimate.percent) if isinstance(estimate, MoneyEstimate) else ()


def claims_of(estimates: Iterable[Estimate]) -> list[Claim]:
    """The estimates grouped into claims, in the order each claim is first written."""
    grouped: dict[tuple, list[Estimate]] = {}
    for estimate in estimates:
        grouped.setdefault(claim_key(estimate), []).append(estimate)
    return [Claim(tuple(group)) for group in grouped.values()]


@dataclass(frozen=True)
class Series:
    """One source's claims about one figure: its current number, and its history.

    ``current`` holds the claims of the source's newest day that it has not withdrawn: one,
    usually; several when the source gave different numbers for the same day (each is shown, and
    `validate` warns). ``history`` holds every other claim, oldest first, withdrawn ones included.
    """

    source: str
    current: tuple[Claim, ...]
    history: tuple[Claim, ...]

    @property
    def claims(self) -> tuple[Claim, ...]:
        """Every claim of the series, oldest first, the current ones last."""
        return tuple(sorted((*self.history, *self.current), key=lambda claim: claim.as_of))


def _series(source: str, claims: list[Claim]) -> Series:
    standing = [claim for claim in claims if not claim.withdrawn]
    current = tuple(claim for claim in standing if claim.as_of in _newest(claim.as_of for claim in standing))
    history = tuple(sorted((claim for claim in claims if claim not in current), key=lambda claim: claim.as_of))
    return Series(source, current, history)


def _newest(days: Iterable[date]) -> set[date]:
    """The newest of a source's days: its latest day, and its latest month (see ``Month``) if that day falls in
    it, as neither can be put before the other ('March 2025' and 11 March: the month's number may be of any
    day of it); the latest month alone if it ends after the latest day, the latest day alone if it comes after
    the latest month."""
    days = list(days)
    latest_day = max((d for d in days if not isinstance(d, Month)), default=None)
    latest_month = max((d for d in days if isinstance(d, Month)), default=None)
    if latest_day is None or latest_month is None:
        return {latest_day or latest_month} - {None}
    if unordered(latest_day, latest_month):
        return {latest_day, latest_month}
    return {max(latest_day, latest_month)}


@dataclass(frozen=True)
class Spread:
    """The spread between the current numbers of several sources of one status.

    ``low`` holds the claims that reach furthest down, ``high`` those that reach furthest up (each
    end may be said by several sources in the same words). Both ends are numbers sources gave.
    """

    status: Status
    low: tuple[Claim, ...]
    high: tuple[Claim, ...]
    sources: tuple[str, ...]


def _spread(status: Status, claims: list[Claim]) -> Spread | None:
    """The spread between the claims of several sources, or None when there is none to show.

    There is none when the ends would share a source: one source's range reaching below and above
    every other number (its range is not a spread between sources), or one source's two numbers
    for one day at both ends (a doubt about that source, not a disagreement between sources).
    """
    sources = tuple(dict.fromkeys(claim.source for claim in claims))
    if len(sources) < 2 or len({claim.wording for claim in claims}) < 2:
        return None
    low = min(_downward(claim) for claim in claims)
    high = max(_upward(claim) for claim in claims)
    low_end = tuple(claim for claim in claims if _downward(claim) == low)
    high_end = tuple(claim for claim in claims if _upward(claim) == high)
    if {claim.source for claim in low_end} & {claim.source for claim in high_end}:
        return None
    return Spread(status, low_end, high_end, sources)


def _downward(claim: Claim) -> tuple:
    """How far down a claim reaches, to order a spread's low end: 'up to 500' reaches below 300; of two claims
    from the same number, 'up to 100' reaches below '100', which reaches below '100-200' (so that the end
    is one wording, whatever the order of the file)."""
    return (0 if claim.qualifier is Qualifier.up_to else claim.bounds[0], REACH[claim.qualifier], claim.bounds[1])


def _upward(claim: Claim) -> tuple:
    """How far up a claim reaches, to order a spread's high end: 'at least 550' reaches above 600."""
    return ((extent(claim) or claim.bounds)[1], REACH[claim.qualifier], claim.bounds[0])


@dataclass(frozen=True)
class Headline:
    """The number that leads a figure, and why it may: ``kind`` is one of

    - ``lead``: the analyst named its source as the figure's ``lead``;
    - ``single``: it is the only source's current number;
    - ``agreed``: every source gives this same number, in the same words and status;
    - ``spread``: the sources, all of one status, disagree: the spread between them leads.
    """

    kind: str
    claims: tuple[Claim, ...] = ()
    spread: Spread | None = None


@dataclass(frozen=True)
class Reading:
    """A figure's estimates read for their meaning: a series per source, spreads, what leads."""

    figure: str
    series: tuple[Series, ...]
    """One per source: the lead first, then sources with a current number, then those with only withdrawn
    numbers, each group in the order the sources are first written."""
    spreads: tuple[Spread, ...]
    """One per status that several sources disagree on, in the order reported, verified, estimated."""
    headline: Headline | None
    """What leads; None when the sources disagree in different statuses and no lead is chosen."""
    lead: str | None = None

    @property
    def current(self) -> tuple[Claim, ...]:
        """Every source's current claims."""
        return tuple(claim for series in self.series for claim in series.current)

    def series_of(self, source: str) -> Series | None:
        return next((series for series in self.series if series.source == source), None)

    def claims_of_source(self, source: str) -> tuple[Claim, ...]:
        """Every claim ``source`` made, current or earlier, oldest first."""
        series = self.series_of(source)
        return series.claims if series else ()


def read(figure_id: str, figure: Figure) -> Reading:
    """The meaning of one figure's estimates."""
    return read_estimates(figure_id, figure.estimates, figure.lead)


def read_estimates(
    reading_id: str, estimates: Iterable[Estimate | MoneyEstimate], lead: str | None = None, *, spreads: bool = True
) -> Reading:
    """The meaning of any list of estimates of one thing (a figure's, or a funding line's amounts).

    Without ``spreads`` (amounts in several currencies, or shares beside amounts, have none) the
    sources that disagree are shown side by side only.
    """
    by_source: dict[str, list[Claim]] = {}
    for claim in claims_of(estimates):
        by_source.setdefault(claim.source, []).append(claim)
    # The lead first, then the sources with a current number, then those whose every number is withdrawn;
    # otherwise in the order the sources are first written.
    series = tuple(
        sorted(
            (_series(source, claims) for source, claims in by_source.items()),
            key=lambda each: (each.source != lead, not each.current),
        )
    )
    current = [claim for each in series for claim in each.current]
    found = (
        tuple(
            spread
            for status in Status
            if (spread := _spread(status, [c for c in current if c.status is status])) is not None
        )
        if spreads
        else ()
    )
    return Reading(reading_id, series, found, _headline(lead, series, current, found), lead)


def _headline(
    lead: str | None, series: tuple[Series, ...], current: list[Claim], spreads: tuple[Spread, ...]
) -> Headline | None:
    if lead is not None:
        chosen = series[0].current
        return Headline("lead", chosen) if chosen else None
    standing = [each for each in series if each.current]  # a source whose numbers are all withdrawn has none
    if not standing:
        return None
    if len({claim.wording for claim in current}) == 1:
        return Headline("single" if len(standing) == 1 else "agreed", tuple(current))
    if (
        len(spreads) == 1
        and len({claim.status for claim in current}) == 1
        and len(standing) > 1
        and all(len(each.current) == 1 for each in standing)
    ):
        return Headline("spread", spread=spreads[0])
    return None


def read_all(report: Report) -> dict[str, Reading]:
    """Every figure's reading, by id, in the order written."""
    return {figure_id: read(figure_id, figure) for figure_id, figure in report.figures.items()}


def funding_id(index: int) -> str:
    """The id a funding line goes by (lines have no id in the file): 'funding-1' for the first."""
    return f"funding-{index + 1}"


def read_funding(report: Report) -> dict[str, dict[str, Reading]]:
    """Each funding line's lists of amounts (requirement, funded, pledged, allocated) read for their meaning, by
    line and kind. Amounts of several sources are shown side by side, never as a spread."""
    return {
        funding_id(index): {
            kind: read_estimates(f"{funding_id(index)}.{kind}", getattr(funding, kind), spreads=False)
            for kind in ("requirement", "funded", "pledged", "allocated")
            if getattr(funding, kind)
        }
        for index, funding in enumerate(report.funding)
    }


# ---------------------------------------------------------------------------
# Totals and their parts


@dataclass(frozen=True)
class OutdatedTotal:
    """A total's current claim that a part of it has overtaken: the part's claims are newer, or larger.

    Only claims of the same status are compared: a verified minimum is expected to be smaller than
    a reported count, and says nothing about it. ``newer`` are the same source's current claims of
    the part dated after the total's (another counter's later number of a part says nothing of how
    old this total is); ``larger`` those of any source whose lowest number is above the total's
    highest, which a reader would see drawn longer than the total. A part larger than its total
    from the same source on the same day is an error of the file, not an outdated total, and is
    not listed here.
    """

    total: str
    part: str
    claim: Claim
    newer: tuple[Claim, ...]
    larger: tuple[Claim, ...]

    @property
    def named(self) -> tuple[Claim, ...]:
        """The part's claims a reader must see beside the total: the newer and the larger, once each."""
        return tuple(dict.fromkeys((*self.newer, *self.larger)))


def above(part: Claim | Estimate, total: Claim | Estimate) -> bool:
    """Whether every number ``part`` allows is above every number ``total`` allows ('more than 1,000' is above
    1,000; 'up to 1,500' and 'about 1,200' may not be)."""
    part_reach, total_reach = extent(part), extent(total)
    return bool(part_reach and total_reach and part_reach[0] > total_reach[1])


def unordered(first: date, second: date) -> bool:
    """Whether one is a month (``Month``) and the other a day of it: which came first is unknown."""
    month, day = (first, second) if isinstance(first, Month) else (second, first)
    return isinstance(month, Month) and not isinstance(day, Month) and month.start <= day <= month


def later(first: date, second: date) -> bool:
    """Whether ``first`` comes after ``second``: a month after its last day; a month and a day of it in no order."""
    return first > second and not unordered(first, second)


def totals_of(report: Report, figure_id: str) -> list[str]:
    """The figures ``figure_id`` is a part of, nearest first, up its `part_of` chain (a district's, then its
    region's, then the country's), none twice where the chain loops."""
    totals, current = [], report.figures[figure_id].part_of
    while current in report.figures and current != figure_id and current not in totals:
        totals.append(current)
        current = report.figures[current].part_of
    return totals


def outdated_totals(report: Report, readings: dict[str, Reading]) -> list[OutdatedTotal]:
    """Every total whose current claim is older, or smaller, than a current claim of one of its parts; smaller
    also than a part of a part (a district's number above the country's, which its region's note would not
    show), older only than its own parts (their parts' dates would repeat the same news)."""
    found = []
    for part_id, depth, total_id in (
        (p, depth, t) for p in report.figures for depth, t in enumerate(totals_of(report, p))
    ):
        if total_id not in readings:
            continue
        for total in readings[total_id].current:
            part_claims = [claim for claim in readings[part_id].current if claim.status is total.status]
            newer = tuple(
                claim
                for claim in part_claims
                if depth == 0 and later(claim.as_of, total.as_of) and claim.source == total.source
            )
            larger = tuple(
                claim
                for claim in part_claims
                if above(claim, total) and (claim.source, claim.as_of) != (total.source, total.as_of)
            )
            if newer or larger:
                found.append(OutdatedTotal(total_id, part_id, total, newer, larger))
    order = list(report.figures)
    return sorted(found, key=lambda o: (order.index(o.total), order.index(o.part)))
