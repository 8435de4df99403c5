"""Everything the templates show, prepared in Python once per build: worded, ordered, attributed.

Templates only lay out; charts and data exports read the same view. Numbers become ``1,018``,
dates ``8 March 2025``; each figure is shown as ``sitrep.estimates`` reads it (each source's
current number and its history, the spread between disagreeing sources, what leads), worded by
``sitrep.figure_view``; every source gets the footnote number it carries throughout the report
(``sitrep.citations``). No number is ever added up, averaged or picked here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from . import model
from .citations import Citation, Citer, Phrase, Sentence, SourceView
from .diff import Changes, compare
from .editions import Edition, resolve
from .errors import BuildError
from .estimates import Reading, funding_id, outdated_totals, read_all, read_funding
from .figure_view import FigureChangeLine, FigurePresenter, FigureView, FundingView, place_name
from .language import N_, Language, _, current, listed, ngettext, page_numbers
from .map_view import MapData, map_data
from .model import Metric, Report, Status, start_of
from .wording import MEASURES, country_name, day, moment, since

if TYPE_CHECKING:
    from .maps import Boundaries

CAVEAT = N_(
    "Figures are as reported by the sources named beside them, on the days given, and are subject to revision "
    "as information is verified. Where sources disagree, each source's number is shown; none has been added up, "
    "averaged or chosen between."
)

CASUALTY_METRICS = (Metric.killed, Metric.injured, Metric.missing, Metric.detained)
DISPLACEMENT_METRICS = (Metric.displaced, Metric.homeless, Metric.refugees, Metric.returned)
DAMAGE_METRICS = (Metric.damaged, Metric.destroyed, Metric.damaged_or_destroyed)
SECTION_METRICS = CASUALTY_METRICS + DISPLACEMENT_METRICS + DAMAGE_METRICS
"""Metrics with a section of their own; other figures are shown under "Other figures" (or their cluster)."""

CLUSTERS = {
    model.Cluster.camp_coordination: N_("Camp Coordination and Camp Management"),
    model.Cluster.early_recovery: N_("Early Recovery"),
    model.Cluster.education: N_("Education"),
    model.Cluster.emergency_telecommunications: N_("Emergency Telecommunications"),
    model.Cluster.food_security: N_("Food Security"),
    model.Cluster.health: N_("Health"),
    model.Cluster.logistics: N_("Logistics"),
    model.Cluster.nutrition: N_("Nutrition"),
    model.Cluster.protection: N_("Protection"),
    model.Cluster.shelter: N_("Shelter and Non-Food Items"),
    model.Cluster.wash: N_("Water, Sanitation and Hygiene"),
    model.Cluster.cash: N_("Multi-Purpose Cash"),
    model.Cluster.coordination: N_("Coordination and Common Services"),
}

SECTORS = {
    model.Sector.electricity: N_("Electricity"),
    model.Sector.water: N_("Water"),
    model.Sector.food: N_("Food, bakeries and markets"),
    model.Sector.health: N_("Health"),
    model.Sector.telecoms: N_("Telecommunications"),
    model.Sector.fuel: N_("Fuel"),
    model.Sector.education: N_("Education"),
    model.Sector.shelter: N_("Shelter"),
    model.Sector.protection: N_("Protection"),
    model.Sector.other: N_("Other services"),
}

SERVICE_STATES = {
    model.ServiceState.cut: N_("cut"),
    model.ServiceState.disrupted: N_("disrupted"),
    model.ServiceState.closed: N_("closed"),
    model.ServiceState.suspended: N_("suspended"),
    model.ServiceState.restored: N_("restored"),
    model.ServiceState.functioning: N_("functioning"),
    model.ServiceState.unknown: N_("unknown"),
}

CONSTRAINTS = {
    model.Constraint.insecurity: N_("Insecurity and hostilities"),
    model.Constraint.movement_restrictions: N_("Restrictions on movement"),
    model.Constraint.attacks_on_aid: N_("Attacks on humanitarian personnel and assets"),
    model.Constraint.attacks_on_health: N_("Attacks on health care"),
    model.Constraint.suspended_operations: N_("Suspended humanitarian operations"),
    model.Constraint.denial_of_access: N_("Denial of access"),
    model.Constraint.other: N_("Other constraints"),
}


@dataclass(frozen=True)
class ChangeLine:
    text: str
    citation: Citation | None = None


@dataclass(frozen=True)
class ChangeGroup:
    title: str
    lines: tuple[ChangeLine, ...]


@dataclass(frozen=True)
class ChartView:
    """A chart (made by sitrep.charts from autoescaped templates): as an SVG file, and the file's name the
    Markdown links to; and as HTML for the report's pages, its text set by the HTML engine (each empty when no
    format built needs it)."""

    title: str
    svg: str
    html: str
    file: str
    description: str = ""
    """What the chart shows, in words, for a reader who cannot see it (its alt text)."""


@dataclass(frozen=True)
class ContactView:
    name: str
    role: str | None
    organisation: str | None
    email: str | None
    phone: str | None
    about: Sentence = ()
    """What follows the name before the addresses: ', Duty analyst, OCHA'."""


@dataclass(frozen=True)
class EntryView:
    """An event, service, movement or access constraint, ready to show."""

    heading: str
    when: str | None
    text: str
    places: str | None
    citation: Citation
    on: date | None = None
    """The day it happened, for the timeline chart."""

    @property
    def context(self) -> str:
        """Places and time together: 'Latakia, Tartus, since 6 March 2025'."""
        return listed(part for part in (self.places, self.when) if part)


@dataclass(frozen=True)
class ImpactSection:
    """One sector of the briefing note's crisis impact: its figures and what is known."""

    title: str
    figures: tuple[FigureView, ...]
    entries: tuple[EntryView, ...]


@dataclass(frozen=True)
class MeasureView:
    """An official measure, with its state at the report's as-of."""

    kind: str
    text: str
    places: str | None
    when: str
    """'since 14 February 2023', 'from 7 February 2023 until 7 May 2023', 'ended on 13 May 2023'."""
    ended: bool
    citation: Citation
    context: str = ""
    """Where and when, in brackets: '(Latakia, since 7 March 2025)'."""


@dataclass(frozen=True)
class ResponseView:
    """One cluster's part of the humanitarian response."""

    cluster: str
    needs: str | None
    response: str | None
    gaps: str | None
    figures: tuple[FigureView, ...]
    citation: Citation


@dataclass(frozen=True)
class ListedSource(SourceView):
    """A source as the product lists it: after its publisher, ``about`` says what else the list gives of it
    (the full report: its short name, title, days published and accessed; the briefing note's table: its title
    and day; the Flash Update: its day), up to its address."""

    about: Sentence = ()


@dataclass(frozen=True)
class StatementView:
    speaker: str
    role: str | None
    organisation: str | None
    date: str | None
    channel: str | None
    quote: str | None
    """Verbatim, in its own language."""
    quote_language: str
    quote_direction: str
    """'ltr' or 'rtl': the quote is set in its own direction (an English quote in the Arabic edition)."""
    translation: str | None
    """The file's translation of the quote into the edition's language, shown beside it and marked as one."""
    summary: str | None
    citation: Citation
    attribution: Sentence = ()
    """What follows the speaker's name: ', Spokesperson, OHCHR (press briefing, 11 March 2025)'."""


@dataclass(frozen=True)
class ReportView:
    title: str
    heading: str
    edition: str
    as_of: str
    as_of_iso: str
    as_of_day: date
    period: str
    period_start: date
    period_end: date
    produced_by: str
    next_update: str | None
    production: str
    """Who produced the report, for what period, and when the next is due, as the product words it."""
    language: str
    """The edition's language tag: en, fr, ar."""
    direction: str
    """'ltr' or 'rtl'."""
    country: str
    """The affected countries' codes: 'SYR', or 'SYR, TUR'."""
    country_names: str
    """'Syria', or 'Syria and Türkiye'."""
    crisis: str
    keywords: str
    highlights: tuple[EntryView, ...]
    figures: tuple[FigureView, ...]
    """Every figure, each total followed by its parts, in the order written."""
    key_figures: tuple[FigureView, ...]
    casualties: tuple[FigureView, ...]
    damage: tuple[FigureView, ...]
    other_figures: tuple[FigureView, ...]
    displacement_figures: tuple[FigureView, ...]
    displacement: tuple[EntryView, ...]
    services: tuple[EntryView, ...]
    access: tuple[EntryView, ...]
    statements: tuple[StatementView, ...]
    measures: tuple[MeasureView, ...]
    response: tuple[ResponseView, ...]
    funding: tuple[FundingView, ...]
    key_funding: tuple[FundingView, ...]
    events: tuple[EntryView, ...]
    overview: str
    outlook: str | None
    gaps: tuple[tuple[str, str | None], ...]
    contacts: tuple[ContactView, ...]
    sources: tuple[ListedSource, ...]
    previous_edition: str | None = None
    changes: Changes | None = None
    """The changes since the previous edition, in the file's terms (for the data export)."""
    figure_changes: tuple[FigureChangeLine, ...] = ()
    other_changes: tuple[ChangeGroup, ...] = ()
    impact: tuple[ImpactSection, ...] = ()
    limitations: tuple[str, ...] = ()
    summary_sources: tuple[ListedSource, ...] = ()
    map: MapData | None = None
    """What the maps show: the places to mark, and the areas map's numbers if the report asks for one."""
    map_disclaimer: str = ""
    figures_chart: ChartView | None = None
    timeline_chart: ChartView | None = None
    locator_map: ChartView | None = None
    areas_map: ChartView | None = None
    caveat: str = CAVEAT
    page_numbers: str = '"Page " counter(page) " of " counter(pages)'
    """The CSS ``content`` of the page numbers, in the edition's words and digits."""


PRODUCT_NAMES = {"sitrep": N_("Situation Report"), "flash": N_("Flash Update"), "brief": N_("Briefing Note")}

# The briefing note's crisis impact, by sector (after ACAPS): which services go under which heading.
IMPACT_SECTORS = (
    (N_("Health"), (model.Sector.health,)),
    (N_("Water, sanitation and hygiene"), (model.Sector.water,)),
    (N_("Food security and livelihoods"), (model.Sector.food,)),
    (N_("Energy and fuel"), (model.Sector.electricity, model.Sector.fuel)),
    (N_("Shelter"), (model.Sector.shelter,)),
    (N_("Education"), (model.Sector.education,)),
    (N_("Communications"), (model.Sector.telecoms,)),
    (N_("Protection"), (model.Sector.protection,)),
    (N_("Other"), (model.Sector.other,)),
)


def make_view(
    report: Report,
    previous: Report | None = None,
    product: str = "sitrep",
    readings: dict[str, Reading] | None = None,
    edition: Edition | None = None,
    resolved: Report | None = None,
    boundaries: Boundaries | None = None,
) -> ReportView:
    """Prepare everything the templates, charts and exports show from a validated report as written (and its
    previous edition), for the edition in one of its languages (by default its own), within
    ``sitrep.language.speaking`` that language.

    What the checks already made may be given, so that it is not made again: ``resolved``, the report as
    this edition reads it, and ``readings``, its figures read for their meaning (of ``resolved`` if given,
    else of ``report``); readings of another report than the edition's are read again. ``boundaries``: the
    areas of the report's `map:`, read by the build."""
    own = report.report.languages[0]
    return _Builder(report, previous, product, readings, edition or Edition(own, own), resolved, boundaries).view()


def _timeline_day(when: date, period: model.Period) -> date:
    """Where an event goes on the timeline, and so in the timeline table's order: its day; for an event a source
    dates by its month, the month's first day within the period covered (a month that overlaps the period is
    in it, not before it), else the month's first day."""
    start = start_of(when)
    return max(start, period.start) if start <= period.end and when >= period.start else start


def _sources_shown(changes: Changes | None) -> list[str]:
    """The sources and outlets of every number the changes since the previous edition show."""
    if changes is None:
        return []
    return [
        source_id
        for change in changes.figures
        for claim in (*change.before, *change.between, *change.after, *change.withdrawn)
        for estimate in claim.estimates
        for source_id in (estimate.source, estimate.via)
        if source_id
    ]


class _Builder:
    def __init__(
        self,
        written: Report,
        previous: Report | None,
        product: str,
        readings: dict[str, Reading] | None,
        edition: Edition,
        resolved: Report | None,
        boundaries: Boundaries | None = None,
    ) -> None:
        self.edition = edition
        self.boundaries = boundaries
        self.report = report = resolved or resolve(written, edition)
        self.previous = resolve(previous, edition) if previous else None
        self.product = product
        self.product_name = _(PRODUCT_NAMES[product])
        # the readings hold the report's very estimates: those of ``resolved`` or, where resolving changed no
        # text, of ``written``
        self.readings = (
            readings if readings is not None and (report is resolved or report is written) else read_all(report)
        )
        self.changes = compare(previous, written, self.readings) if previous else None
        self.citer = Citer(report, self.previous, _sources_shown(self.changes))
        self.presenter = FigurePresenter(
            report, self.citer, self.readings, outdated_totals(report, self.readings), self.previous, edition
        )

    def view(self) -> ReportView:
        info = self.report.report
        figures = self._figures()
        in_response = {figure_id for entry in self.report.response for figure_id in entry.figures}

        def by_metric(metrics: tuple[Metric, ...]) -> tuple[FigureView, ...]:
            return tuple(f for f in figures if self.report.figures[f.id].metric in metrics and f.id not in in_response)

        groups = {
            "Casualties": by_metric(CASUALTY_METRICS),
            "Damage": by_metric(DAMAGE_METRICS),
            "Displacement": by_metric(DISPLACEMENT_METRICS),
            "Other figures": tuple(
                f
                for f in figures
                if self.report.figures[f.id].metric not in SECTION_METRICS and f.id not in in_response
            ),
        }
        funding = self._funding()
        edition = self._numbered(info.number)
        period = _("{start} to {end}").format(start=day(info.period.start), end=day(info.period.end))
        next_update = day(info.next_update) if info.next_update else None
        language = current()
        return ReportView(
            title=_("{title} — {edition} (as of {day})").format(
                title=info.title, edition=edition, day=day(info.as_of.date())
            ),
            heading=info.title,
            edition=edition,
            as_of=moment(info.as_of),
            as_of_iso=info.as_of.isoformat(),
            as_of_day=info.as_of.date(),
            period=period,
            period_start=info.period.start,
            period_end=info.period.end,
            produced_by=info.produced_by,
            next_update=next_update,
            production=self._production(info.produced_by, period, next_update),
            language=language.tag,
            direction=language.direction,
            country=", ".join(info.countries),
            country_names=_(" and ").join(map(country_name, info.countries)),
            crisis=info.crisis,
            keywords=", ".join([*info.countries, info.crisis, _("situation report"), _("humanitarian")]),
            highlights=tuple(
                EntryView("", None, h.text, None, self.citer.cite(h.sources)) for h in self.report.highlights
            ),
            figures=figures,
            key_figures=tuple(f for f in figures if self.report.figures[f.id].key),
            casualties=groups["Casualties"],
            damage=groups["Damage"],
            displacement_figures=groups["Displacement"],
            other_figures=groups["Other figures"],
            displacement=self._movements(),
            services=self._services(),
            access=tuple(
                self._entry(
                    _(CONSTRAINTS[a.constraint]), since(a.since) if a.since else None, a.text, a.locations, a.sources
                )
                for a in self.report.access
            ),
            statements=tuple(self._statement(s) for s in self.report.statements),
            measures=tuple(self._measure(m) for m in self.report.measures),
            response=tuple(self._response(entry, figures) for entry in self.report.response),
            funding=funding,
            key_funding=tuple(f for f in funding if f.key),
            events=tuple(
                self._entry("", day(e.date), e.text, e.locations, e.sources, on)
                for on, e in sorted(
                    ((_timeline_day(e.date, info.period), e) for e in self.report.events), key=lambda item: item[0]
                )
            ),
            overview=self.report.narrative.overview,
            outlook=self.report.narrative.outlook,
            gaps=tuple((g.text, g.why) for g in self.report.gaps),
            contacts=tuple(self._contact(c) for c in self.report.contacts),
            sources=tuple(self._listed(self.citer.source(source_id)) for source_id in self.citer.numbers),
            previous_edition=self._numbered(self.previous.report.number) if self.previous else None,
            changes=self.changes,
            figure_changes=self._figure_changes(),
            other_changes=self._other_changes(),
            impact=self._impact(groups),
            limitations=self._limitations(),
            summary_sources=self._summary_sources(figures, funding),
            map=map_data(self.report, figures, self.boundaries),
            map_disclaimer=_(
                "The boundaries and names shown and the designations used on this map do not imply "
                "official endorsement or acceptance by {producer}."
            ).format(producer=info.produced_by),
            caveat=_(CAVEAT),
            page_numbers=page_numbers(),
        )

    def _production(self, producer: str, period: str, next_update: str | None) -> str:
        """'This report is produced by ... It covers the period from ... The next report will be issued on ...'."""
        said = {
            "sitrep": _("This report is produced by %(producer)s. It covers the period from %(period)s."),
            "flash": _("Produced by %(producer)s, covering %(period)s."),
            "brief": _("Analysis by %(producer)s, covering %(period)s."),
        }[self.product] % {"producer": producer, "period": period}
        if self.product == "brief":
            more = _(
                "Every figure is shown with each source's current number, as the source worded it, "
                "and its earlier numbers; where sources disagree, each is shown."
            )
        elif next_update:
            more = {
                "sitrep": _("The next report will be issued on or around %(day)s."),
                "flash": _("Next update on or around %(day)s."),
            }[self.product] % {"day": next_update}
        else:
            return said
        return f"{said} {more}"

    def _numbered(self, number: int) -> str:
        """'Situation Report No. 2'."""
        return _("{product} No. {number}").format(product=self.product_name, number=current().shown(str(number)))

    # -- figures

    def _figures(self) -> tuple[FigureView, ...]:
        """Every figure, each total followed by its parts, in the order written."""
        parts: dict[str | None, list[str]] = {}
        for figure_id, figure in self.report.figures.items():
            parts.setdefault(figure.part_of if figure.part_of in self.report.figures else None, []).append(figure_id)
        ordered: list[FigureView] = []
        stack = [(figure_id, 0) for figure_id in reversed(parts.get(None, []))]
        while stack:  # depth first, without recursion: breakdowns can be deep
            figure_id, depth = stack.pop()
            ordered.append(self.presenter.figure(figure_id, depth, self._trends(figure_id)))
            stack.extend((child, depth + 1) for child in reversed(parts.get(figure_id, [])))
        if len(ordered) < len(self.report.figures):  # the checks refuse such a file before it gets here
            shown = {figure.id for figure in ordered}
            missing = [figure_id for figure_id in self.report.figures if figure_id not in shown]
            raise BuildError(
                f"figures {', '.join(missing)} are parts of each other through `part_of` (a loop), "
                "so the report cannot show them: run `sitrep validate` and fix `part_of`"
            )
        return tuple(ordered)

    def _trends(self, figure_id: str) -> tuple:
        if self.changes is None:
            return ()
        trends = (self.presenter.trend(c, self.changes.before_number) for c in self.changes.of_figure(figure_id))
        return tuple(trend for trend in trends if trend)

    # -- sections

    def _places(self, location_ids: list[str]) -> str | None:
        """'Latakia, Tartus'; in a report on several countries, each place with its country: 'Harim, Syria;
        Hatay, Türkiye'."""
        several = len(self.report.report.countries) > 1
        names = [
            place_name(self.report, i, local=False) if several else self.report.locations[i].name for i in location_ids
        ]
        return listed(names, "; " if several else ", ") or None

    def _entry(
        self, heading: str, when: str | None, text: str, places: list[str], sources: list[str], on: date | None = None
    ) -> EntryView:
        return EntryView(heading, when, text, self._places(places), self.citer.cite(sources), on)

    def _movements(self) -> tuple[EntryView, ...]:
        return tuple(
            self._entry("", day(m.date) if m.date else None, m.text, m.locations, m.sources)
            for m in self.report.displacement
        )

    def _services(self) -> tuple[EntryView, ...]:
        entries = sorted(self.report.services, key=lambda s: list(model.Sector).index(s.sector))
        return tuple(self._service(s) for s in entries)

    def _service(self, service: model.Service) -> EntryView:
        return self._entry(
            _("{sector}: {state}").format(sector=_(SECTORS[service.sector]), state=_(SERVICE_STATES[service.status])),
            since(service.since) if service.since else None,
            service.text,
            service.locations,
            service.sources,
        )

    def _measure(self, measure: model.Measure) -> MeasureView:
        as_of = self.report.report.as_of.date()
        ended = measure.end is not None and measure.end < as_of
        if ended:
            when = _("from {start}, ended {end}").format(start=day(measure.start), end=day(measure.end))  # type: ignore[arg-type]
        elif measure.end is not None:
            when = _("from {start} until {end}").format(start=day(measure.start), end=day(measure.end))
        else:
            when = (
                _("from {start}").format(start=day(measure.start))
                if start_of(measure.start) > as_of
                else since(measure.start)
            )
        places = self._places(measure.locations)
        return MeasureView(
            _(MEASURES[measure.kind]),
            measure.text,
            places,
            when,
            ended,
            self.citer.cite(measure.sources),
            "(" + (places + _(", ") if places else "") + when + ")",
        )

    def _response(self, entry: model.ResponseEntry, figures: tuple[FigureView, ...]) -> ResponseView:
        shown = {figure.id: figure for figure in figures}
        return ResponseView(
            _(CLUSTERS[entry.cluster]),
            entry.needs,
            entry.response,
            entry.gaps,
            tuple(shown[figure_id] for figure_id in entry.figures),
            self.citer.cite(entry.sources),
        )

    def _funding(self) -> tuple[FundingView, ...]:
        readings = read_funding(self.report)
        return tuple(
            self.presenter.funding(
                funding_id(index), funding, readings[funding_id(index)], self._trends(funding_id(index))
            )
            for index, funding in enumerate(self.report.funding)
        )

    def _contact(self, contact: model.Contact) -> ContactView:
        about = "".join(_(", ") + part for part in (contact.role, contact.organisation) if part)
        return ContactView(
            contact.name,
            contact.role,
            contact.organisation,
            contact.email,
            contact.phone,
            (Phrase(about),) if about else (),
        )

    def _statement(self, statement: model.Statement) -> StatementView:
        quoted_in = statement.language or self.edition.default
        day_said = day(statement.date) if statement.date else None
        who = "".join(_(", ") + part for part in (statement.role, statement.organisation) if part)
        when = _(", ").join(part for part in (statement.channel, day_said) if part)
        attribution = who + (f" ({when})" if when else "")
        return StatementView(
            speaker=statement.speaker
            if not statement.local_name
            else _("{name} ({local_name})").format(name=statement.speaker, local_name=statement.local_name),
            role=statement.role,
            organisation=statement.organisation,
            date=day_said,
            channel=statement.channel,
            quote=statement.quote,
            quote_language=quoted_in,
            quote_direction=Language(quoted_in).direction,
            translation=statement.translation.get(self.edition.language)
            if statement.quote and quoted_in != self.edition.language
            else None,
            summary=statement.summary,
            citation=self.citer.cite_via(statement.source, statement.via, None),
            attribution=(Phrase(attribution),) if attribution else (),
        )

    # -- changes since the previous edition

    def _figure_changes(self) -> tuple[FigureChangeLine, ...]:
        if self.changes is None:
            return ()
        by_figure: dict[tuple[str, bool], list] = {}  # a removed funding line may share its old id with a new one
        for change in self.changes.figures:
            by_figure.setdefault((change.figure, change.figure_removed), []).append(change)
        return tuple(self.presenter.change_line(figure_id, changes) for (figure_id, _), changes in by_figure.items())

    def _other_changes(self) -> tuple[ChangeGroup, ...]:
        if self.changes is None:
            return ()
        section = self.changes.section

        def entries(name: str, kind: str | None = None) -> list:
            return [(c, resolve(c.entry, self.edition)) for c in section(name) if kind is None or c.kind == kind]

        groups = [
            (
                _("Events"),
                [
                    ChangeLine(_("{day}: {text}").format(day=day(e.date), text=e.text), self.citer.cite(e.sources))
                    for _c, e in entries("events", "added")
                ],
            ),
            (_("Services"), [ChangeLine(self._service_change(c)) for c in section("services")]),
            (_("Displacement"), [self._entry_change(c, e, e.text) for c, e in entries("displacement")]),
            (
                _("Humanitarian access"),
                [
                    self._entry_change(c, e, _("{kind}: {text}").format(kind=_(CONSTRAINTS[e.constraint]), text=e.text))
                    for c, e in entries("access")
                ],
            ),
            (_("Official measures"), [self._measure_change(c, e) for c, e in entries("measures")]),
            (_("Humanitarian response"), [self._response_change(c, e) for c, e in entries("response")]),
            (
                _("Statements"),
                [
                    ChangeLine(self._said_by(e), self.citer.cite_via(e.source, e.via, e.date))
                    for _c, e in entries("statements", "added")
                ],
            ),
        ]
        return tuple(ChangeGroup(title, tuple(lines)) for title, lines in groups if lines)

    def _said_by(self, statement: model.Statement) -> str:
        """'Speaker: “quote”', or 'Speaker (paraphrased): summary'."""
        speaker = self._statement(statement).speaker
        if statement.quote:
            return _("{speaker}: “{quote}”").format(speaker=speaker, quote=statement.quote)
        return _("{speaker} (paraphrased): {summary}").format(speaker=speaker, summary=statement.summary)

    def _entry_change(self, change, entry, text: str) -> ChangeLine:
        if change.kind == "added":
            return ChangeLine(_("New: {text}").format(text=text), self.citer.cite(entry.sources))
        return ChangeLine(_("No longer in this edition: {text}").format(text=text))

    def _measure_change(self, change, entry: model.Measure) -> ChangeLine:
        if change.kind == "dropped":  # of the previous edition: its places may no longer be in this one
            return ChangeLine(
                _("No longer in this edition: {kind}: {text}").format(kind=_(MEASURES[entry.kind]), text=entry.text)
            )
        measure = self._measure(entry)
        said = _("New: {kind}: {text} ({when})") if change.kind == "added" else _("Changed: {kind}: {text} ({when})")
        return ChangeLine(said.format(kind=measure.kind, text=measure.text, when=measure.when), measure.citation)

    def _response_change(self, change, entry: model.ResponseEntry) -> ChangeLine:
        said = {
            "added": _("{cluster}: new in this edition"),
            "updated": _("{cluster}: needs, response or gaps updated"),
            "dropped": _("{cluster}: no longer in this edition"),
        }[change.kind]
        return ChangeLine(
            said.format(cluster=_(CLUSTERS[entry.cluster])),
            self.citer.cite(entry.sources) if change.kind != "dropped" else None,
        )

    def _service_change(self, change) -> str:
        sector = _(SECTORS[model.Sector(change.text)])
        places = listed(self._place_names_of(change.locations)) or _("all areas")
        state = {
            value: _(SERVICE_STATES[model.ServiceState(value)]) for value in (change.before, change.after) if value
        }
        if change.kind == "added":
            return _("New: {sector} ({places}): {state}").format(
                sector=sector, places=places, state=state[change.after]
            )
        if change.kind == "dropped":
            return _("No longer reported: {sector} ({places}), which was {state}").format(
                sector=sector, places=places, state=state[change.before]
            )
        said = {
            "cut": _("Cut: {sector} ({places}): {before} → {after}"),
            "restored": _("Restored: {sector} ({places}): {before} → {after}"),
            "changed": _("Changed: {sector} ({places}): {before} → {after}"),
        }[change.kind]
        return said.format(sector=sector, places=places, before=state[change.before], after=state[change.after])

    def _place_names_of(self, location_ids: tuple[str, ...]) -> list[str]:
        locations = {**(self.previous.locations if self.previous else {}), **self.report.locations}
        return [locations[i].name for i in location_ids if i in locations]

    # -- the briefing note

    def _impact(self, groups: dict[str, tuple[FigureView, ...]]) -> tuple[ImpactSection, ...]:
        """The briefing note's crisis impact: people, damage, displacement, then each sector, then the rest."""
        sections = [
            ImpactSection(_("Casualties"), groups["Casualties"], ()),
            ImpactSection(_("Damage"), groups["Damage"], ()),
            ImpactSection(_("Displacement"), groups["Displacement"], self._movements()),
        ]
        sections += [
            ImpactSection(_(title), (), tuple(self._service(s) for s in self.report.services if s.sector in sectors))
            for title, sectors in IMPACT_SECTORS
        ]
        sections.append(ImpactSection(_("Other figures"), groups["Other figures"], ()))
        return tuple(section for section in sections if section.figures or section.entries)

    def _limitations(self) -> tuple[str, ...]:
        """What limits the analysis, counted from the file itself (never from the numbers it reports)."""
        readings = list(self.readings.values())
        total = len(readings)
        single = sum(len(r.series) == 1 for r in readings)
        disagreeing = sum(  # between sources: one source's numbers for one day are its own doubt
            len({c.wording for c in r.current}) > 1 and len({c.source for c in r.current}) > 1 for r in readings
        )
        with_history = sum(any(s.history for s in r.series) for r in readings)
        estimates = [e for f in self.report.figures.values() for e in f.estimates]
        verified = sum(e.status is Status.verified for e in estimates)
        assessed = [s for s in self.report.sources.values() if s.reliability is not model.Reliability.not_assessed]
        n = current().shown
        said = (
            (
                single,
                total,
                ngettext(
                    "{count} of {total} figures rests on a single source.",
                    "{count} of {total} figures rest on a single source.",
                    single,
                ),
            ),
            (
                disagreeing,
                total,
                ngettext(
                    "{count} of {total} figures has current numbers that differ between sources; each source's number "
                    "is shown.",
                    "{count} of {total} figures have current numbers that differ between sources; each source's number "
                    "is shown.",
                    disagreeing,
                ),
            ),
            (
                with_history,
                total,
                ngettext(
                    "{count} of {total} figures has earlier numbers from the same source, shown as its history.",
                    "{count} of {total} figures have earlier numbers from the same source, shown as its history.",
                    with_history,
                ),
            ),
            (
                verified,
                len(estimates),
                ngettext(
                    "Verified by their source: {count} of {total} estimates; the others are reported or estimated.",
                    "Verified by their source: {count} of {total} estimates; the others are reported or estimated.",
                    verified,
                ),
            ),
            (
                len(assessed),
                len(self.report.sources),
                ngettext(
                    "{count} of {total} sources has a reliability assessment.",
                    "{count} of {total} sources have a reliability assessment.",
                    len(assessed),
                ),
            ),
        )
        return tuple(message.format(count=n(str(count)), total=n(str(of))) for count, of, message in said)

    def _summary_sources(
        self, figures: tuple[FigureView, ...], funding: tuple[FundingView, ...]
    ) -> tuple[ListedSource, ...]:
        """The sources the highlights and key figures cite (their current numbers, notes and changes; the key
        funding lines' current amounts, coverage and changes), under their numbers in the full list, for
        products that show only those."""
        cited = {n for h in self.report.highlights for n in self.citer.cite(h.sources).notes}
        shown = [(f.series, (*f.notes, *f.trends)) for f in figures if self.report.figures[f.id].key]
        shown += [(tuple(s for a in f.amounts for s in a.series), (*f.coverage, *f.trends)) for f in funding if f.key]
        for series, sentences in shown:
            cited.update(n for each in series for claim in each.current for n in claim.footnotes)
            cited.update(n for sentence in sentences for phrase in sentence for n in phrase.notes)
        return tuple(
            self._listed(self.citer.source(i), briefly=True)
            for i in self.report.sources
            if self.citer.numbers[i] in cited
        )

    def _listed(self, source: SourceView, briefly: bool = False) -> ListedSource:
        """``source`` with what the product's list says of it after its publisher: ' (SOHR), “Title”, published 8 March
        2025, accessed 9 March 2025. ' in the full list; ', “Title”, 8 March 2025' in the briefing note's table
        (whose address goes on a line of its own); ', 8 March 2025: ' in a list of the sources a summary cites
        (``briefly``). The words before the address end as the address follows them."""
        title = _("“%(title)s”") % {"title": source.title} if source.title else None
        if briefly:
            about = (_(", ") + source.published if source.published else "") + (_(": ") if source.url else "")
        elif self.product == "brief":
            about = "".join(_(", ") + said for said in (title, source.published) if said)
        else:
            about = (f" ({source.label})" if source.label != source.publisher else "") + "".join(
                _(", ") + said
                for said in (
                    title,
                    source.published and _("published %(day)s") % {"day": source.published},
                    source.accessed and _("accessed %(day)s") % {"day": source.accessed},
                )
                if said
            )
            about += _(".") + (" " if source.url else "")
        return ListedSource(**vars(source), about=(Phrase(about),) if about else ())
