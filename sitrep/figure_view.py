"""How each figure is shown: its numbers by source, their history, spreads, notes and changes, worded once.

``sitrep.estimates`` says what a figure's estimates mean; this module words that meaning for
readers, once per build. Templates, charts and exports all read the resulting ``FigureView``,
so a number cannot read one way in the PDF and another in the Markdown or the data export:

- every number carries its qualifier ("at least 111") and, when it is not a plain report, its
  status ("verified");
- a source's current number is shown with its citations, its earlier numbers as its history
  ("earlier: 745 (8 March), 1,068 (9 March)");
- a spread between sources is labelled as one, each end attributed;
- a total overtaken by a part of it says so beside it;
- the changes since the previous edition name the source of every number they show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal

from .citations import Citation, Citer, Phrase, Sentence, compose
from .diff import FigureChange
from .editions import Edition
from .estimates import Claim, Headline, OutdatedTotal, Reading, Series, Spread
from .language import N_, _, current, listed, ngettext
from .model import Funding, MoneyEstimate, Report, Status, Translatable
from .wording import country_name, day, day_in, estimate_number, figure_label, money, number, percent

SAID = {
    Status.reported: N_("{source} reports {number} ({day})"),
    Status.verified: N_("{source} has verified {number} ({day})"),
    Status.estimated: N_("{source} estimates {number} ({day})"),
}
"""How a source is said to give a number of each status: 'OHCHR has verified at least 111 (11 March 2025)'."""

STATUSES = {Status.reported: N_("reported"), Status.verified: N_("verified"), Status.estimated: N_("estimated")}

AMOUNT_KINDS = {
    "requirement": N_("Required"),
    "funded": N_("Funded"),
    "pledged": N_("Pledged"),
    "allocated": N_("Allocated"),
}
"""A funding line's lists of amounts, in the order shown, and how each is titled."""

AMOUNT_CHANGES = {
    "requirement": N_("{name}: required"),
    "funded": N_("{name}: funded"),
    "pledged": N_("{name}: pledged"),
    "allocated": N_("{name}: allocated"),
}
"""How the changes since the previous edition name a funding line's list of amounts."""


def _same_day_and_currency(required: Claim, funded: Claim) -> bool:
    first, second = required.first, funded.first
    assert isinstance(first, MoneyEstimate) and isinstance(second, MoneyEstimate)
    return (first.as_of, first.currency) == (second.as_of, second.currency) and first.qualifier is second.qualifier


def _share(share: Decimal) -> str:
    """A computed share to a tenth of a percent, never rounded to 0% or 100% when it is not: 99.96% is
    '99.9%' (an appeal short of its requirement never reads as fully funded), 100.04% '100.1%', 0.02%
    'less than 0.1%'."""
    rounded = share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if rounded == 100 and share != 100:
        rounded = share.quantize(Decimal("0.1"), rounding=ROUND_DOWN if share < 100 else ROUND_UP)
    if rounded == 0 and share > 0:
        return _("less than {share}").format(share=percent(Decimal("0.1")))
    return percent(rounded)


@dataclass(frozen=True)
class ClaimView:
    """One number as one source worded it for one day, with everything needed to show and trace it."""

    number: str
    """As the source worded it: 'at least 111', '745–1,068'."""
    labelled: str
    """With its status when it is not a plain report: 'at least 111, verified'."""
    low: int | None
    high: int | None
    """The ends of the number (the same for one number); None for a share of the requirement given alone."""
    qualifier: str
    status: str
    """reported, verified or estimated, as the file says."""
    status_words: str
    """The same in the edition's language."""
    as_of: str
    as_of_iso: str
    on: date
    when: str
    """The day, without the year when it is the report's: '11 March'."""
    source: str
    source_id: str
    citations: tuple[Citation, ...]
    """One per estimate carrying the number (the same number through several outlets)."""
    notes: tuple[str, ...]
    withdrawn: str | None
    estimates: tuple[int, ...] = ()
    """Where its estimates are in the figure's list (0-based), for the data exports; empty for a claim
    of the previous edition."""
    currency: str | None = None
    """An amount of money's ISO 4217 currency."""
    percent: Decimal | None = None
    """The share of the requirement a source gave, beside its amount or alone."""

    @property
    def footnotes(self) -> tuple[int, ...]:
        return tuple(dict.fromkeys(n for citation in self.citations for n in citation.notes))


@dataclass(frozen=True)
class SeriesView:
    """One source's numbers for the figure: current, and earlier ones oldest first."""

    source: str
    source_id: str
    current: tuple[ClaimView, ...]
    history: tuple[ClaimView, ...]
    leads: bool
    """Its current number is the figure's headline, so lines beside it need not repeat the number."""
    earlier: Sentence = ()
    """Its history in a sentence, each number with its footnotes: 'SOHR, earlier: 745 (8 March) [1]'."""


@dataclass(frozen=True)
class SpreadView:
    """The spread between several sources' current numbers of one status, each end attributed."""

    status: str
    number: str
    """'13 to at least 16'."""
    caption: str
    """'spread between the numbers of 3 sources'."""
    ends: str
    """Who gives each end: 'lowest 13 (BBC), highest at least 16 (Defence Ministry)'."""
    low: tuple[ClaimView, ...]
    high: tuple[ClaimView, ...]


@dataclass(frozen=True)
class HeadlineView:
    """The number that leads the figure, and, unless it is the only source's, why it may."""

    kind: str
    number: str
    caption: str | None
    ends: str | None = None
    """For a spread, who gives each end."""
    described: str | None = None
    """The caption and who gives each end: 'spread between the numbers of 3 sources: lowest 13 (BBC), ...'."""


@dataclass(frozen=True)
class NumberLine:
    """A line of a table's number column: a number, and who gives it or what it is."""

    number: str
    caption: str | None


@dataclass(frozen=True)
class FigureView:
    id: str
    label: str
    title: str
    """The label with its place, unless the label names it already: 'Civilians killed, Hama (حماة)'."""
    plain_title: str
    """The title without the place's local name, for charts: not every SVG renderer shapes every script
    (WeasyPrint draws Arabic letters unjoined)."""
    metric: str
    unit: str
    group: str
    location: str | None
    parent: str | None
    depth: int
    headline: HeadlineView | None
    numbers: tuple[NumberLine, ...]
    """What a table's number column shows: the headline, or else each source's current number."""
    series: tuple[SeriesView, ...]
    spreads: tuple[SpreadView, ...]
    notes: tuple[Sentence, ...]
    """What a reader must know beside the figure: a total older or smaller than a part of it."""
    trends: tuple[Sentence, ...] = ()
    """What became of each source's number since the previous edition, with both numbers."""

    @property
    def one_source(self) -> bool:
        """One source gives all its numbers: the key-figures panel shows its history (a rising toll); with
        several, the panel shows each source's current number and leaves histories to the tables."""
        return len(self.series) == 1

    @property
    def claims(self) -> tuple[ClaimView, ...]:
        """Every number of the figure: each source's current ones, then its history."""
        return tuple(claim for series in self.series for claim in (*series.current, *series.history))


@dataclass(frozen=True)
class AmountView:
    """One list of a funding line (requirement, funded, pledged, allocated): each source's current amount
    and its history, as a figure's numbers are shown."""

    kind: str
    """'requirement', 'funded', 'pledged' or 'allocated'."""
    title: str
    """'Required', 'Funded', 'Pledged', 'Allocated'."""
    headline: HeadlineView | None
    series: tuple[SeriesView, ...]


@dataclass(frozen=True)
class FundingView:
    """An appeal or allocation: its amounts, and the share funded where one source's requirement and amount
    of the same day allow it to be computed."""

    id: str
    name: str
    kind: str
    location: str | None
    key: bool
    amounts: tuple[AmountView, ...]
    coverage: tuple[Sentence, ...]
    """'43% funded: US$171.7 million of US$397.6 million (FTS, 8 March 2023)', each with both amounts."""
    trends: tuple[Sentence, ...] = ()
    title: str = ""
    """The name with its place, as the key figures show it: 'Flash Appeal, North-west Syria'."""


@dataclass(frozen=True)
class FigureChangeLine:
    """The summary of what changed in one figure since the previous edition: its title and one sentence."""

    title: str
    sentence: Sentence


def earlier(source: str, history: tuple[ClaimView, ...]) -> Sentence:
    """One source's earlier numbers, oldest first, in one sentence: its history, never a range."""
    phrases = [Phrase(_("%(source)s, earlier:") % {"source": source} + " ")]
    for index, claim in enumerate(history):
        said = _("%(number)s (%(day)s, withdrawn)") if claim.withdrawn else _("%(number)s (%(day)s)")
        phrases.append(Phrase(said % {"number": claim.labelled, "day": claim.when}, claim.footnotes))
        if index < len(history) - 1:
            phrases.append(Phrase(_(", ")))
    return tuple(phrases) if history else ()


def place_name(report: Report, location_id: str, *, local: bool = True) -> str:
    """``Latakia (اللاذقية)``: the name, and the local name where given (unless ``local`` is false: not every
    SVG renderer shapes every script); in a report on several countries, the place's country after it:
    ``Hatay, Türkiye``."""
    place = report.locations[location_id]
    name = (
        _("{name} ({local_name})").format(name=place.name, local_name=place.local_name)
        if place.local_name and local
        else place.name
    )
    if len(report.report.countries) > 1 and place.country and place.admin_level != 0:
        country = country_name(place.country)
        name = name if country in place.name else _("{place}, {country}").format(place=name, country=country)
    return name


class FigurePresenter:
    """Words the readings of one report's figures for readers; one per view."""

    def __init__(
        self,
        report: Report,
        citer: Citer,
        readings: dict[str, Reading],
        outdated: list[OutdatedTotal],
        previous: Report | None = None,
        edition: Edition | None = None,
    ) -> None:
        """``report`` and ``previous`` as the edition reads them; the changes since the previous edition are
        read from the files as written (``sitrep.diff``), so their numbers' notes are put in the edition's
        language here."""
        self.report = report
        self.edition = edition
        self.citer = citer
        self.readings = readings
        self.outdated = outdated
        self.previous = previous
        self.year = report.report.as_of.year

    # -- numbers

    def claim(self, claim: Claim, positions: dict[int, int] | None = None) -> ClaimView:
        """``positions``: the index of each estimate in its figure's list, by ``id()``."""
        shown = estimate_number(claim.first)
        status = _(STATUSES[claim.status])
        notes = tuple(dict.fromkeys(self._text(e.note) for e in claim.estimates if e.note))
        money = claim.first if isinstance(claim.first, MoneyEstimate) else None
        share_alone = money is not None and money.amount is None  # its bounds are the share in hundredths
        return ClaimView(
            number=shown,
            labelled=shown
            if claim.status is Status.reported
            else _("{number}, {status}").format(number=shown, status=status),
            low=None if share_alone else claim.bounds[0],
            high=None if share_alone else claim.bounds[1],
            qualifier=claim.qualifier.value,
            status=claim.status.value,
            status_words=status,
            as_of=day(claim.as_of),
            as_of_iso=claim.as_of.isoformat(),
            on=claim.as_of,
            when=day_in(claim.as_of, self.year),
            source=self.citer.label(claim.source),
            source_id=claim.source,
            citations=tuple(self.citer.cite_via(e.source, e.via, e.as_of) for e in claim.estimates),
            notes=notes,
            withdrawn=self._text(claim.first.withdrawn) if claim.first.withdrawn is not None else None,
            estimates=tuple(positions[id(e)] for e in claim.estimates) if positions else (),
            currency=money.currency if money else None,
            percent=money.percent if money else None,
        )

    def _text(self, value: str | dict[str, str]) -> str:
        """A note or a reason for a withdrawal as the edition shows it: already, or, from a file as written, in
        the edition's language."""
        if isinstance(value, str) or self.edition is None:
            return value if isinstance(value, str) else next(iter(value.values()))
        return self.edition.text(value, Translatable.prose)

    def _said(self, claim: Claim, *, verb: bool = False) -> Phrase:
        """'1,383 (SOHR, 12 March 2025)', or with ``verb`` 'OHCHR has verified at least 111 (11 March 2025)'."""
        view = self.claim(claim)
        if verb:
            return Phrase(
                _(SAID[claim.status]).format(source=view.source, number=view.number, day=view.as_of), view.footnotes
            )
        return self._dated_by(claim)

    def _series(self, series: Series, positions: dict[int, int], leading: set[Claim]) -> SeriesView:
        """One source's numbers, its current one leading if it is among the headline's ``leading`` claims."""
        history = tuple(self.claim(c, positions) for c in series.history)
        return SeriesView(
            self.citer.label(series.source),
            series.source,
            tuple(self.claim(c, positions) for c in series.current),
            history,
            bool(series.current) and set(series.current) <= leading,
            earlier(self.citer.label(series.source), history),
        )

    # -- figures

    def figure(self, figure_id: str, depth: int, trends: tuple[Sentence, ...] = ()) -> FigureView:
        figure = self.report.figures[figure_id]
        reading = self.readings[figure_id]
        positions = {id(estimate): index for index, estimate in enumerate(figure.estimates)}
        headline = self._headline(reading.headline, positions)
        leading = set(reading.headline.claims) if reading.headline else set()
        series = tuple(self._series(s, positions, leading) for s in reading.series)
        label = figure_label(figure)
        location = self._place(figure.location) if figure.location else None
        return FigureView(
            id=figure_id,
            label=label,
            title=self._title(figure_id),
            plain_title=self._title(figure_id, local=False),
            metric=figure.metric.value,
            unit=figure.unit.value,
            group=figure.group,
            location=location,
            parent=figure_label(self.report.figures[figure.part_of]) if figure.part_of else None,
            depth=depth,
            headline=headline,
            numbers=(NumberLine(headline.number, headline.described),)
            if headline
            else tuple(
                NumberLine(
                    claim.number,
                    each.source
                    if claim.status == "reported"
                    else _("{source}, {status}").format(source=each.source, status=claim.status_words),
                )
                for each in series
                for claim in each.current
            )
            or (NumberLine(_("no current number"), None),),  # every number it had was withdrawn
            series=series,
            spreads=tuple(self._spread(spread, positions) for spread in reading.spreads),
            notes=tuple(self._outdated(o) for o in self.outdated if o.total == figure_id),
            trends=trends,
        )

    def _headline(self, headline: Headline | None, positions: dict[int, int]) -> HeadlineView | None:
        if headline is None:
            return None
        if headline.spread is not None:
            spread = self._spread(headline.spread, positions)
            described = _(": ").join(filter(None, (spread.caption, spread.ends))) or None
            return HeadlineView(headline.kind, spread.number, spread.caption, spread.ends, described)
        number = _(" or ").join(dict.fromkeys(self.claim(claim).labelled for claim in headline.claims))
        sources = len({claim.source for claim in headline.claims})
        caption = (
            ngettext("given by {count} source", "given by {count} sources", sources).format(
                count=current().shown(str(sources))
            )
            if headline.kind == "agreed"
            else None
        )
        return HeadlineView(headline.kind, number, caption, described=caption)

    def _spread(self, spread: Spread, positions: dict[int, int]) -> SpreadView:
        low = tuple(self.claim(claim, positions) for claim in spread.low)
        high = tuple(self.claim(claim, positions) for claim in spread.high)

        def end(claims: tuple[ClaimView, ...]) -> str:
            return _("{number} ({sources})").format(
                number=claims[0].number, sources=listed(claim.source for claim in claims)
            )

        count = len(spread.sources)
        caption = {
            Status.reported: ngettext(
                "spread between the numbers of {count} source", "spread between the numbers of {count} sources", count
            ),
            Status.verified: ngettext(
                "spread between the verified numbers of {count} source",
                "spread between the verified numbers of {count} sources",
                count,
            ),
            Status.estimated: ngettext(
                "spread between the estimated numbers of {count} source",
                "spread between the estimated numbers of {count} sources",
                count,
            ),
        }[spread.status]
        return SpreadView(
            status=spread.status.value,
            number=_("{low} to {high}").format(low=low[0].number, high=high[0].number),
            caption=caption.format(count=current().shown(str(count))),
            ends=_("lowest {low}, highest {high}").format(low=end(low), high=end(high)),
            low=low,
            high=high,
        )

    def _outdated(self, outdated: OutdatedTotal) -> Sentence:
        """'1,018 (SOHR, 8 March 2025) is older and smaller than its part Civilians killed: 1,383 (SOHR, …)'."""
        said = {
            (True, False): _("{total} is older than its part {part}: {numbers}."),
            (False, True): _("{total} is smaller than its part {part}: {numbers}."),
            (True, True): _("{total} is older and smaller than its part {part}: {numbers}."),
        }[(bool(outdated.newer), bool(outdated.larger))]
        total, part = self._said(outdated.claim), self._title(outdated.part)
        if outdated.newer and outdated.larger and set(outdated.newer) != set(outdated.larger):  # each its reason
            return tuple(
                compose(
                    _("{total} is older than its part {part}: {newer}; and smaller than it: {larger}."),
                    total=total,
                    part=part,
                    newer=_joined([self._said(claim) for claim in outdated.newer], _("; ")),
                    larger=_joined([self._said(claim) for claim in outdated.larger], _("; ")),
                )
            )
        return tuple(
            compose(said, total=total, part=part, numbers=_joined([self._said(c) for c in outdated.named], _("; ")))
        )

    def _title(self, figure_id: str, *, local: bool = True) -> str:
        """The label with its place, unless the label names it already: 'Civilians killed, Hama (حماة)'."""
        figure = self.report.figures[figure_id]
        label = figure_label(figure)
        if not figure.location:
            return label
        place = self.report.locations[figure.location]
        if place.name in label:
            return label
        return _("{label}, {place}").format(label=label, place=place_name(self.report, figure.location, local=local))

    def _place(self, location_id: str) -> str:
        return place_name(self.report, location_id)

    # -- funding

    def funding(
        self, funding_id: str, funding: Funding, readings: dict[str, Reading], trends: tuple[Sentence, ...] = ()
    ) -> FundingView:
        """A funding line; ``readings`` holds its amount lists read for their meaning, by kind."""
        amounts = []
        for kind in AMOUNT_KINDS:
            estimates = getattr(funding, kind)
            if not estimates:
                continue
            reading = readings[kind]
            positions = {id(estimate): index for index, estimate in enumerate(estimates)}
            leading = set(reading.headline.claims) if reading.headline else set()
            amounts.append(
                AmountView(
                    kind=kind,
                    title=_(AMOUNT_KINDS[kind]),
                    headline=self._headline(reading.headline, positions),
                    series=tuple(self._series(s, positions, leading) for s in reading.series),
                )
            )
        place = self._place(funding.location) if funding.location else None
        return FundingView(
            id=funding_id,
            name=funding.name,
            kind=funding.kind.value,
            location=place,
            key=funding.key,
            amounts=tuple(amounts),
            coverage=tuple(
                self._coverage(required, funded)
                for funded in readings["funded"].current
                if funded.exact_value is not None
                for required in readings["requirement"].claims_of_source(funded.source)
                if _same_day_and_currency(required, funded) and required.exact_value and not required.withdrawn
            )
            if "funded" in readings and "requirement" in readings
            else (),
            trends=trends,
            title=funding.name + (_(", ") + place if place else ""),
        )

    def _coverage(self, required: Claim, funded: Claim) -> Sentence:
        """'43% funded: US$171.7 million of US$397.6 million (FTS, 8 March 2023)'; the one share sitrep computes,
        from two exact amounts one source gave for one day."""
        share = Decimal(funded.exact_value) * 100 / Decimal(required.exact_value)  # type: ignore[arg-type]
        return tuple(
            compose(
                _("{share} funded: {funded} of {required}"),
                share=_share(share),
                funded=self._dated_by(funded),
                required=self._dated_by(required),
            )
        )

    def _dated_by(self, claim: Claim) -> Phrase:
        """'1,383 (SOHR, 12 March 2025)'."""
        view = self.claim(claim)
        return Phrase(
            _("{number} ({source}, {day})").format(number=view.labelled, source=view.source, day=view.as_of),
            view.footnotes,
        )

    # -- changes since the previous edition

    def trend(self, change: FigureChange, previous_number: int) -> Sentence | None:
        """A key figure's change since the previous edition, with the numbers it came from."""
        number = current().shown(str(previous_number))
        if change.kind == "superseded" and not change.withdrawn:
            source = self.citer.label(change.sources[0])
            amount = change.change
            if change.same_number:
                said = _("Unchanged since No. {number} ({source}): {before} → {after}")
            elif amount is not None:
                said = (
                    _("▲ {difference} since No. {number} ({source}): {before} → {after}")
                    if amount > 0
                    else _("▼ {difference} since No. {number} ({source}): {before} → {after}")
                )
            else:
                said = {
                    "up": _("Up since No. {number} ({source}): {before} → {after}"),
                    "down": _("Down since No. {number} ({source}): {before} → {after}"),
                }.get(change.direction, _("Changed since No. {number} ({source}): {before} → {after}"))
            difference = _difference(change, abs(amount)) if amount is not None else ""
            return tuple(
                compose(
                    said,
                    difference=difference,
                    number=number,
                    source=source,
                    before=self._numbers(change.before),
                    after=self._numbers(change.after),
                )
            )
        if change.kind == "replaced":
            return tuple(
                compose(
                    _("Replaced since No. {number}: {before} → {after} (different sources, not compared)"),
                    number=number,
                    before=self._owned(change.before),
                    after=self._owned(change.after),
                )
            )
        if change.kind == "superseded":  # withdrawn, then a new number: the earlier was wrong, not lower or higher
            said = _("Withdrawn since No. {number}: {before}; its number is now {after}")
        elif change.kind == "withdrawn":
            said = (
                _("Withdrawn since No. {number}: {before}; its number is now its earlier {after}")
                if change.after
                else _("Withdrawn since No. {number}: {before}")
            )
        elif change.kind == "removed":
            said = (
                _("Removed since No. {number}: {before}; its number is now its earlier {after}")
                if change.after
                else _("Removed since No. {number}: {before}")
            )
        else:
            return None
        return tuple(compose(said, number=number, before=self._owned(change.before), after=self._numbers(change.after)))

    def _numbers(self, claims: tuple[Claim, ...]) -> list[Phrase]:
        """'1,068 (9 March 2025)' for each claim, with its footnotes."""
        return _joined([self._dated(c) for c in claims], _(" or "))

    def _owned(self, claims: tuple[Claim, ...]) -> list[Phrase]:
        """ "SOHR's 1,068 (9 March 2025)" for each claim, with its footnotes."""
        return _joined(
            [
                Phrase(
                    _possessive(self.citer.label(c.source), self.claim(c).labelled, day(c.as_of)),
                    self.claim(c).footnotes,
                )
                for c in claims
            ],
            _(" and "),
        )

    def change_line(self, figure_id: str, changes: list[FigureChange]) -> FigureChangeLine:
        """One figure's changes since the previous edition, as one readable line."""
        clauses = [self._clause(change) for change in changes]
        if figure_id.startswith("funding-"):  # a funding line's list of amounts: 'funding-1.funded'
            line, kind = figure_id.split(".")
            lines = self.previous.funding if changes[0].figure_removed and self.previous else self.report.funding
            title = _(AMOUNT_CHANGES[kind]).format(name=lines[int(line.removeprefix("funding-")) - 1].name)
            if changes[0].figure_added:
                clauses[0] = (Phrase(_("new: ")), *clauses[0])
            if changes[0].figure_removed:
                clauses[0] = (Phrase(_("no longer in this report: ")), *clauses[0])
            return FigureChangeLine(title, tuple(phrase for clause in _joined_clauses(clauses) for phrase in clause))
        # a figure no longer in this report, or one that counted something else then, is named as it was then
        edition = self.previous if changes[0].figure_removed and self.previous else self.report
        figure = edition.figures[figure_id]
        title = figure_label(figure)
        if figure.location and not figure.label:
            title = _("{label}, {place}").format(label=title, place=edition.locations[figure.location].name)
        if changes[0].figure_added:
            clauses[0] = (Phrase(_("new figure: ")), *clauses[0])
        if changes[0].figure_removed:
            clauses[0] = (Phrase(_("no longer in this report: ")), *clauses[0])
        return FigureChangeLine(title, tuple(phrase for clause in _joined_clauses(clauses) for phrase in clause))

    def _clause(self, change: FigureChange) -> Sentence:
        source = self.citer.label(change.sources[0]) if change.sources else ""
        before, after = self._numbers(change.before), self._numbers(change.after)
        between = _joined([self._dated(c) for c in change.between], _(", "))
        if change.kind == "new":
            [claim, *others] = change.after
            said = _joined([self._said(claim, verb=True), *(self._said(c) for c in others)], _(" and "))
            lead = [] if change.figure_added else [Phrase(_("new source: "))]
            return (
                *lead,
                *(compose(_("{numbers}, after {earlier}"), numbers=said, earlier=between) if change.between else said),
            )
        if change.kind == "superseded":
            amount, direction = change.change, change.direction
            if change.withdrawn:
                return tuple(
                    compose(
                        _("{source} withdrew {before} ({reason}); its number is now {after}"),
                        source=source,
                        before=_joined([self._dated(c) for c in change.before], _(" and ")),
                        reason=self._text(change.withdrawn[0].first.withdrawn),
                        after=after,
                    )
                )
            if change.same_number:
                [first], [last] = change.before, change.after
                said = (
                    _("{source}: unchanged ({number}) from {before} to {after}, with {between} in between")
                    if change.between
                    else _("{source}: unchanged ({number}) from {before} to {after}")
                )
                return tuple(
                    compose(
                        said,
                        source=source,
                        number=self.claim(last).labelled,
                        between=between,
                        before=Phrase(day(first.as_of), self.claim(first).footnotes),
                        after=Phrase(day(last.as_of), self.claim(last).footnotes),
                    )
                )
            if amount is not None:
                said = {
                    (True, False): _("{source}: up {difference}, from {before} to {after}"),
                    (False, False): _("{source}: down {difference}, from {before} to {after}"),
                    (True, True): _("{source}: up {difference}, from {before} to {after}, with {between} in between"),
                    (False, True): _(
                        "{source}: down {difference}, from {before} to {after}, with {between} in between"
                    ),
                }[(amount > 0, bool(change.between))]
            else:
                said = {
                    ("up", False): _("{source}: up from {before} to {after}"),
                    ("down", False): _("{source}: down from {before} to {after}"),
                    ("up", True): _("{source}: up from {before} to {after}, with {between} in between"),
                    ("down", True): _("{source}: down from {before} to {after}, with {between} in between"),
                }.get(
                    (direction, bool(change.between)),
                    _("{source}: from {before} to {after}, with {between} in between")
                    if change.between
                    else _("{source}: from {before} to {after}"),
                )
            difference = _difference(change, abs(amount)) if amount is not None else ""
            return tuple(
                compose(said, source=source, difference=difference, before=before, after=after, between=between)
            )
        owned = self._owned(change.before)
        if change.kind == "replaced":
            return tuple(
                compose(
                    _("{before} replaced by {after}; numbers from different sources are not compared"),
                    before=owned,
                    after=self._owned(change.after),
                )
            )
        if change.kind == "withdrawn":
            reasons = listed(dict.fromkeys(self._text(c.first.withdrawn) for c in change.withdrawn), "; ")
            said = (
                _("{before} is withdrawn ({reasons}); its number is now its earlier {after}")
                if change.after
                else _("{before} is withdrawn ({reasons})")
            )
            return tuple(compose(said, before=owned, reasons=reasons, after=after))
        said = (
            _("{before} is not carried over into this edition; its number is now its earlier {after}")
            if change.after
            else _("{before} is not carried over into this edition")
        )
        return tuple(compose(said, before=owned, after=after))

    def _dated(self, claim: Claim) -> Phrase:
        """'1,068 (9 March 2025)'."""
        view = self.claim(claim)
        return Phrase(_("{number} ({day})").format(number=view.labelled, day=view.as_of), view.footnotes)


def _possessive(name: str, number: str, day: str) -> str:
    """ "SOHR's 1,068 (9 March 2025)", "White Helmets' 2,950 (...)"."""
    if name.endswith("s"):
        return _("{source}' {number} ({day})").format(source=name, number=number, day=day)
    return _("{source}'s {number} ({day})").format(source=name, number=number, day=day)


def _difference(change: FigureChange, amount: int) -> str:
    """A computed change as its numbers are written: '315', or for money 'US$103.1 million'."""
    first = change.after[0].first
    return money(amount, first.currency) if isinstance(first, MoneyEstimate) and first.currency else number(amount)


def _joined(phrases: list[Phrase], separator: str) -> list[Phrase]:
    """``phrases`` with ``separator`` between them, as phrases of their own (without footnotes)."""
    joined: list[Phrase] = []
    for index, phrase in enumerate(phrases):
        if index:
            joined.append(Phrase(separator))
        joined.append(phrase)
    return joined


def _joined_clauses(clauses: list[Sentence]) -> list[Sentence]:
    return [clause if index == 0 else (Phrase(_("; ")), *clause) for index, clause in enumerate(clauses)]
