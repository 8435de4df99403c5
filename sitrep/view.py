"""Everything the templates show, prepared in Python: formatted, ordered, attributed.

Templates only lay out. Numbers become ``1,018``, dates ``8 March 2025``, several
estimates of one figure become a range ``745–1,068`` whose ends each name their
sources, and every source gets the footnote number it carries throughout the report.
No number is ever added up, averaged or picked here: every estimate is shown.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime

from . import model
from .diff import Change, compare
from .errors import BuildError
from .model import MONTH_NAMES, Estimate, Figure, Metric, Report

CAVEAT = (
    "Figures are as reported by the sources named beside them and are subject to revision as information is "
    "verified. Where sources disagree, every estimate is shown with its source; no figure has been added up, "
    "averaged or chosen between."
)

NOUN_METRICS = (Metric.refugees, Metric.incidents)
"""Metrics named by a noun ('refugees') rather than a participle ('killed'), which reads after the group."""

CASUALTY_METRICS = (Metric.killed, Metric.injured, Metric.missing, Metric.detained)
DISPLACEMENT_METRICS = (Metric.displaced, Metric.refugees, Metric.returned)

QUALIFIERS = {
    model.Qualifier.exact: "{}",
    model.Qualifier.at_least: "at least {}",
    model.Qualifier.more_than: "more than {}",
    model.Qualifier.about: "about {}",
    model.Qualifier.up_to: "up to {}",
}

SECTORS = {
    model.Sector.electricity: "Electricity",
    model.Sector.water: "Water",
    model.Sector.food: "Food, bakeries and markets",
    model.Sector.health: "Health",
    model.Sector.telecoms: "Telecommunications",
    model.Sector.fuel: "Fuel",
    model.Sector.education: "Education",
    model.Sector.shelter: "Shelter",
    model.Sector.protection: "Protection",
    model.Sector.other: "Other services",
}

CONSTRAINTS = {
    model.Constraint.insecurity: "Insecurity and hostilities",
    model.Constraint.movement_restrictions: "Restrictions on movement",
    model.Constraint.attacks_on_aid: "Attacks on humanitarian personnel and assets",
    model.Constraint.attacks_on_health: "Attacks on health care",
    model.Constraint.suspended_operations: "Suspended humanitarian operations",
    model.Constraint.denial_of_access: "Denial of access",
    model.Constraint.other: "Other constraints",
}


# ---------------------------------------------------------------------------
# Formatting


def number(value: int) -> str:
    """``1018`` -> ``1,018``."""
    return f"{value:,}"


def day(value: date) -> str:
    """``2025-03-08`` -> ``8 March 2025``."""
    return f"{value.day} {MONTH_NAMES[value.month - 1]} {value.year}"


def moment(value: datetime) -> str:
    """``2025-03-09 18:00 +03:00`` -> ``9 March 2025, 18:00 UTC+03:00``."""
    offset = value.strftime("%z")
    zone = "UTC" if offset in ("+0000", "") else f"UTC{offset[:3]}:{offset[3:]}"
    return f"{day(value.date())}, {value:%H:%M} {zone}"


def since(value: date) -> str:
    """``2025-03-06`` -> ``since 6 March 2025``."""
    return f"since {day(value)}"


def _maybe(format_, value):
    """``format_(value)``, or None when nothing was written."""
    return None if value is None else format_(value)


def span(low: int, high: int) -> str:
    """A range of numbers with an en dash, or one number when both ends agree."""
    return number(low) if low == high else f"{number(low)}–{number(high)}"


def estimate_number(estimate: Estimate) -> str:
    """The number as the source worded it: ``at least 16``, ``745–1,068``."""
    return QUALIFIERS[estimate.qualifier].format(span(*estimate.bounds))


# ---------------------------------------------------------------------------
# The view


@dataclass(frozen=True)
class SourceView:
    number: int
    id: str
    label: str
    publisher: str
    kind: str
    reliability: str
    title: str | None
    url: str | None
    published: str | None
    accessed: str | None


@dataclass(frozen=True)
class Citation:
    """Who said something, through whom, with the footnote numbers to look them up."""

    text: str
    notes: tuple[int, ...]


@dataclass(frozen=True)
class EstimateView:
    number: str
    as_of: str
    status: str
    citation: Citation
    note: str | None


@dataclass(frozen=True)
class RangeEnd:
    number: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class TrendView:
    """A key figure's change since the previous edition, by one source: '▲ 315 since No. 1'."""

    text: str
    before: Citation
    before_number: str
    after: Citation
    after_number: str


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
    """A chart (made by sitrep.charts from autoescaped templates) and the file the Markdown links to."""

    title: str
    svg: str
    file: str


@dataclass(frozen=True)
class ContactView:
    name: str
    role: str | None
    organisation: str | None
    email: str | None
    phone: str | None


@dataclass(frozen=True)
class ImpactSection:
    """One sector of the briefing note's crisis impact: its figures and what is known."""

    title: str
    figures: tuple[FigureView, ...]
    entries: tuple[EntryView, ...]


@dataclass(frozen=True)
class FigureView:
    id: str
    label: str
    metric: str
    group: str
    location: str | None
    parent: str | None
    depth: int
    number: str
    low: RangeEnd
    high: RangeEnd | None
    estimates: tuple[EstimateView, ...]
    trends: tuple[TrendView, ...] = ()

    @property
    def title(self) -> str:
        """The label with its place, unless the analyst's own label already names it: 'Civilians killed, Hama'."""
        if not self.location or self.location.split(" (")[0] in self.label:
            return self.label
        return f"{self.label}, {self.location}"

    @property
    def contested(self) -> bool:
        """More than one distinct number was given: readers must see every one."""
        return self.high is not None


@dataclass(frozen=True)
class EntryView:
    """An event, service, movement or access constraint, ready to show."""

    heading: str
    when: str | None
    text: str
    places: str | None
    citation: Citation

    @property
    def context(self) -> str:
        """Places and time together: 'Latakia, Tartus, since 6 March 2025'."""
        return ", ".join(part for part in (self.places, self.when) if part)


@dataclass(frozen=True)
class StatementView:
    speaker: str
    role: str | None
    organisation: str | None
    date: str | None
    channel: str | None
    quote: str | None
    summary: str | None
    citation: Citation


@dataclass(frozen=True)
class ReportView:
    title: str
    heading: str
    edition: str
    as_of: str
    as_of_iso: str
    period: str
    produced_by: str
    next_update: str | None
    language: str
    country: str
    crisis: str
    keywords: str
    highlights: tuple[EntryView, ...]
    key_figures: tuple[FigureView, ...]
    casualties: tuple[FigureView, ...]
    other_figures: tuple[FigureView, ...]
    displacement_figures: tuple[FigureView, ...]
    displacement: tuple[EntryView, ...]
    services: tuple[EntryView, ...]
    access: tuple[EntryView, ...]
    statements: tuple[StatementView, ...]
    events: tuple[EntryView, ...]
    overview: str
    outlook: str | None
    gaps: tuple[tuple[str, str | None], ...]
    contacts: tuple[ContactView, ...]
    sources: tuple[SourceView, ...]
    previous_edition: str | None = None
    changes: tuple[ChangeGroup, ...] = ()
    impact: tuple[ImpactSection, ...] = ()
    limitations: tuple[str, ...] = ()
    summary_sources: tuple[SourceView, ...] = ()
    figures_chart: ChartView | None = None
    timeline_chart: ChartView | None = None
    caveat: str = CAVEAT


PRODUCT_NAMES = {"sitrep": "Situation Report", "flash": "Flash Update", "brief": "Briefing Note"}

RELIABILITY = {
    model.Reliability.reliable: "Reliable",
    model.Reliability.usually_reliable: "Usually reliable",
    model.Reliability.fairly_reliable: "Fairly reliable",
    model.Reliability.not_usually_reliable: "Not usually reliable",
    model.Reliability.unreliable: "Unreliable",
    model.Reliability.not_assessed: "Not assessed",
}

# The briefing note's crisis impact, by sector (after ACAPS): which services go under which heading.
IMPACT_SECTORS = (
    ("Health", (model.Sector.health,)),
    ("Water, sanitation and hygiene", (model.Sector.water,)),
    ("Food security and livelihoods", (model.Sector.food,)),
    ("Energy and fuel", (model.Sector.electricity, model.Sector.fuel)),
    ("Shelter", (model.Sector.shelter,)),
    ("Education", (model.Sector.education,)),
    ("Communications", (model.Sector.telecoms,)),
    ("Protection", (model.Sector.protection,)),
    ("Other", (model.Sector.other,)),
)


def make_view(report: Report, previous: Report | None = None, product: str = "sitrep") -> ReportView:
    """Prepare everything the templates show from a validated report (and its previous edition)."""
    return _Builder(report, previous, PRODUCT_NAMES[product]).view()


class _Builder:
    def __init__(self, report: Report, previous: Report | None, product_name: str) -> None:
        self.report = report
        self.previous = previous
        self.product_name = product_name
        self.changes = compare(previous, report) if previous else None
        self.notes = {source_id: index for index, source_id in enumerate(report.sources, start=1)}

    def view(self) -> ReportView:
        info = self.report.report
        figures = self._figures()
        edition = f"{self.product_name} No. {info.number}"
        title = f"{info.title} — {edition} (as of {day(info.as_of.date())})"
        return ReportView(
            title=title,
            heading=info.title,
            edition=edition,
            as_of=moment(info.as_of),
            as_of_iso=info.as_of.isoformat(),
            period=f"{day(info.period.start)} to {day(info.period.end)}",
            produced_by=info.produced_by,
            next_update=_maybe(day, info.next_update),
            language=info.language,
            country=info.country,
            crisis=info.crisis,
            keywords=", ".join([info.country, info.crisis, "situation report", "humanitarian"]),
            highlights=tuple(EntryView("", None, h.text, None, self._cite(h.sources)) for h in self.report.highlights),
            key_figures=tuple(f for f in figures if self.report.figures[f.id].key),
            casualties=tuple(f for f in figures if self.report.figures[f.id].metric in CASUALTY_METRICS),
            displacement_figures=tuple(f for f in figures
                                       if self.report.figures[f.id].metric in DISPLACEMENT_METRICS),
            other_figures=tuple(f for f in figures if self.report.figures[f.id].metric
                                not in CASUALTY_METRICS + DISPLACEMENT_METRICS),
            displacement=tuple(self._entry("", _maybe(day, m.date), m.text, m.locations, m.sources)
                               for m in self.report.displacement),
            services=self._services(),
            access=tuple(self._entry(CONSTRAINTS[a.constraint], _maybe(since, a.since), a.text, a.locations, a.sources)
                         for a in self.report.access),
            statements=tuple(self._statement(s) for s in self.report.statements),
            events=tuple(self._entry("", day(e.date), e.text, e.locations, e.sources)
                         for e in sorted(self.report.events, key=lambda e: e.date)),
            overview=self.report.narrative.overview,
            outlook=self.report.narrative.outlook,
            gaps=tuple((g.text, g.why) for g in self.report.gaps),
            contacts=tuple(ContactView(c.name, c.role, c.organisation, c.email, c.phone) for c in self.report.contacts),
            sources=tuple(self._source(source_id, s) for source_id, s in self.report.sources.items()),
            previous_edition=f"{self.product_name} No. {self.previous.report.number}" if self.previous else None,
            impact=self._impact(),
            limitations=self._limitations(),
            summary_sources=self._summary_sources(),
            changes=self._changes(),
        )

    # -- sources and citations

    def _source(self, source_id: str, source: model.Source) -> SourceView:
        return SourceView(
            number=self.notes[source_id],
            id=source_id,
            label=self._label(source_id),
            publisher=source.publisher,
            kind=source.kind.value,
            reliability=RELIABILITY[source.reliability],
            title=source.title,
            url=source.url,
            published=_maybe(day, source.published),
            accessed=_maybe(day, source.accessed),
        )

    def _label(self, source_id: str) -> str:
        source = self.report.sources[source_id]
        return source.short or source.publisher

    def _cite(self, source_ids: list[str]) -> Citation:
        return Citation("; ".join(self._label(s) for s in source_ids), tuple(self.notes[s] for s in source_ids))

    def _cite_via(self, source_id: str, via: str | None, when: date | None) -> Citation:
        text = self._label(source_id) + (f" via {self._label(via)}" if via else "")
        if when:
            text += f", {day(when)}"
        notes = (self.notes[source_id],) + ((self.notes[via],) if via else ())
        return Citation(text, notes)

    # -- figures

    @functools.cache  # noqa: B019  (one builder per view: the cache goes with it)
    def _figures(self) -> tuple[FigureView, ...]:
        """Every figure, each total followed by its parts, in the order written."""
        parts: dict[str | None, list[str]] = {}
        for figure_id, figure in self.report.figures.items():
            parts.setdefault(figure.part_of if figure.part_of in self.report.figures else None, []).append(figure_id)
        ordered: list[FigureView] = []
        stack = [(figure_id, 0) for figure_id in reversed(parts.get(None, []))]
        while stack:  # depth first, without recursion: breakdowns can be deep
            figure_id, depth = stack.pop()
            ordered.append(self._figure(figure_id, self.report.figures[figure_id], depth))
            stack.extend((child, depth + 1) for child in reversed(parts.get(figure_id, [])))
        if len(ordered) < len(self.report.figures):  # the checks refuse such a file before it gets here
            shown = {figure.id for figure in ordered}
            missing = [figure_id for figure_id in self.report.figures if figure_id not in shown]
            raise BuildError(f"figures {', '.join(missing)} are parts of each other through `part_of` (a loop), "
                             "so the report cannot show them: run `sitrep validate` and fix `part_of`")
        return tuple(ordered)

    def _figure(self, figure_id: str, figure: Figure, depth: int) -> FigureView:
        estimates = figure.estimates
        if len({(e.bounds, e.qualifier) for e in estimates}) == 1:
            low_end, high_end = self._end(estimates, span(*estimates[0].bounds)), None
            shown = low_end.number
        else:
            low = min(e.bounds[0] for e in estimates)
            high = max(e.bounds[1] for e in estimates)
            low_end = self._end([e for e in estimates if e.bounds[0] == low], number(low))
            high_end = self._end([e for e in estimates if e.bounds[1] == high], number(high))
            plain = low_end.number == number(low) and high_end.number == number(high)
            shown = span(low, high) if plain else f"{low_end.number} to {high_end.number}"
        location = _maybe(self._place_names, figure.location)
        parent = figure.part_of and self._figure_label(self.report.figures[figure.part_of])
        return FigureView(
            id=figure_id,
            label=self._figure_label(figure),
            metric=figure.metric.value,
            group=figure.group,
            location=location,
            parent=parent,
            depth=depth,
            number=shown,
            low=low_end,
            high=high_end,
            estimates=tuple(self._estimate(e) for e in estimates),
            trends=self._trends(figure_id),
        )

    def _end(self, estimates: list[Estimate], bound: str) -> RangeEnd:
        """One end of a range: its number, worded as its sources worded it when they agree, and who said it."""
        qualifiers = {e.qualifier for e in estimates}
        shown = QUALIFIERS[qualifiers.pop()].format(bound) if len(qualifiers) == 1 else bound
        return RangeEnd(shown, tuple(self._cite_via(e.source, e.via, e.as_of) for e in estimates))

    @staticmethod
    def _figure_label(figure: Figure) -> str:
        """'Civilians killed', 'People in need'; for metrics that are nouns, 'Refugees (children)'."""
        if figure.label:
            return figure.label
        metric = figure.metric.value.replace("-", " ")
        if figure.metric in NOUN_METRICS:
            return metric.capitalize() + ("" if figure.group == "people" else f" ({figure.group})")
        return f"{figure.group[:1].upper()}{figure.group[1:]} {metric}"

    def _estimate(self, estimate: Estimate) -> EstimateView:
        return EstimateView(
            number=estimate_number(estimate),
            as_of=day(estimate.as_of),
            status=estimate.status.value,
            citation=self._cite_via(estimate.source, estimate.via, estimate.as_of),
            note=estimate.note,
        )

    # -- sections

    def _place_names(self, location_id: str) -> str:
        """``Latakia (اللاذقية)``: the name, and the local name where given."""
        place = self.report.locations[location_id]
        return f"{place.name} ({place.local_name})" if place.local_name else place.name

    def _places(self, location_ids: list[str]) -> str | None:
        return ", ".join(self.report.locations[i].name for i in location_ids) or None

    def _entry(self, heading: str, when: str | None, text: str, places: list[str], sources: list[str]) -> EntryView:
        return EntryView(heading, when, text, self._places(places), self._cite(sources))

    def _services(self) -> tuple[EntryView, ...]:
        entries = sorted(self.report.services, key=lambda s: list(model.Sector).index(s.sector))
        return tuple(self._service(s) for s in entries)

    def _service(self, service: model.Service) -> EntryView:
        return self._entry(f"{SECTORS[service.sector]}: {service.status.value}", _maybe(since, service.since),
                           service.text, service.locations, service.sources)

    def _statement(self, statement: model.Statement) -> StatementView:
        return StatementView(
            speaker=statement.speaker,
            role=statement.role,
            organisation=statement.organisation,
            date=_maybe(day, statement.date),
            channel=statement.channel,
            quote=statement.quote,
            summary=statement.summary,
            citation=self._cite_via(statement.source, statement.via, None),
        )

    # -- changes since the previous edition

    def _trends(self, figure_id: str) -> tuple[TrendView, ...]:
        if self.changes is None:
            return ()
        since = f"since No. {self.changes.before_number}"
        views = []
        for trend in self.changes.trends:
            if trend.figure != figure_id:
                continue
            arrow = "▲" if trend.change > 0 else "▼" if trend.change < 0 else "="
            amount = f"{arrow} {number(abs(trend.change))} {since}" if trend.change else f"= unchanged {since}"
            views.append(TrendView(
                text=f"{amount} ({self._label(trend.after.source)})",
                before=self._cite_via(trend.before.source, trend.before.via, trend.before.as_of),
                before_number=estimate_number(trend.before),
                after=self._cite_via(trend.after.source, trend.after.via, trend.after.as_of),
                after_number=estimate_number(trend.after),
            ))
        return tuple(views)

    def _changes(self) -> tuple[ChangeGroup, ...]:
        if self.changes is None:
            return ()
        section = self.changes.section
        groups = [
            ("Figures", [self._figure_change(c) for c in section("figures")]),
            ("Events", [ChangeLine(f"{day(c.entry.date)}: {c.entry.text}", self._cite(c.entry.sources))
                        for c in section("events") if c.kind == "added"]),
            ("Services", [ChangeLine(self._service_change(c)) for c in section("services")]),
            ("Displacement", [self._entry_change(c, c.entry.text) for c in section("displacement")]),
            ("Humanitarian access", [self._entry_change(c, f"{CONSTRAINTS[c.entry.constraint]}: {c.entry.text}")
                                     for c in section("access")]),
            ("Statements", [ChangeLine(f"{c.entry.speaker}: “{c.entry.quote}”" if c.entry.quote
                                       else f"{c.entry.speaker} (paraphrased): {c.entry.summary}",
                                       self._cite_via(c.entry.source, c.entry.via, c.entry.date))
                            for c in section("statements") if c.kind == "added"]),
        ]
        return tuple(ChangeGroup(title, tuple(lines)) for title, lines in groups if lines)

    def _figure_change(self, change: Change) -> ChangeLine:
        """A new estimate, cited; or one the previous edition gave and this one no longer does."""
        figure = self.report.figures.get(change.figure) or self.previous.figures[change.figure]
        estimate = change.estimate
        status = "" if estimate.status.value == "reported" else f" ({estimate.status.value})"
        label = self._figure_label(figure)
        if figure.location and not figure.label:
            label += f", {self._place_names_of((figure.location,))[0]}"
        if change.kind == "added":
            return ChangeLine(f"{label}: new estimate {estimate_number(estimate)}{status}",
                              self._cite_via(estimate.source, estimate.via, estimate.as_of))
        sources = self.previous.sources
        said = sources[estimate.source].short or sources[estimate.source].publisher
        return ChangeLine(f"{label}: {estimate_number(estimate)} ({said}, {day(estimate.as_of)}) is no longer "
                          f"reported in this edition")

    def _entry_change(self, change: Change, text: str) -> ChangeLine:
        if change.kind == "added":
            return ChangeLine(f"New: {text}", self._cite(change.entry.sources))
        return ChangeLine(f"No longer in this edition: {text}")

    def _service_change(self, change: Change) -> str:
        sector = SECTORS[model.Sector(change.text)]
        places = ", ".join(self._place_names_of(change.locations)) or "all areas"
        if change.kind == "added":
            return f"New: {sector} ({places}): {change.after}"
        if change.kind == "dropped":
            return f"No longer reported: {sector} ({places}), which was {change.before}"
        return f"{change.kind.capitalize()}: {sector} ({places}): {change.before} → {change.after}"

    def _place_names_of(self, location_ids: tuple[str, ...]) -> list[str]:
        locations = {**(self.previous.locations if self.previous else {}), **self.report.locations}
        return [locations[i].name for i in location_ids if i in locations]

    # -- the briefing note

    def _impact(self) -> tuple[ImpactSection, ...]:
        figures = self._figures()
        by_metric = lambda metrics: tuple(f for f in figures if self.report.figures[f.id].metric in metrics)  # noqa: E731
        sections = [
            ImpactSection("Casualties", by_metric(CASUALTY_METRICS), ()),
            ImpactSection("Displacement", by_metric(DISPLACEMENT_METRICS),
                          tuple(self._entry("", _maybe(day, m.date), m.text, m.locations, m.sources)
                                for m in self.report.displacement)),
        ]
        sections += [ImpactSection(title, (), tuple(self._service(s) for s in self.report.services
                                                    if s.sector in sectors))
                     for title, sectors in IMPACT_SECTORS]
        return tuple(section for section in sections if section.figures or section.entries)

    def _limitations(self) -> tuple[str, ...]:
        """What limits the analysis, counted from the file itself (never from the numbers it reports)."""
        figures = list(self.report.figures.values())
        single = sum(len({e.source for e in f.estimates}) == 1 for f in figures)
        contested = sum(len({(e.bounds, e.qualifier) for e in f.estimates}) > 1 for f in figures)
        estimates = [e for f in figures for e in f.estimates]
        verified = sum(e.status is model.Status.verified for e in estimates)
        lines = [f"{single} of {len(figures)} figures rest on a single source.",
                 f"{contested} of {len(figures)} figures have several different estimates (from other sources or "
                 "later dates); each is shown with its source.",
                 f"{verified} of {len(estimates)} estimates verified by their source; the others are as reported."]
        assessed = [s for s in self.report.sources.values() if s.reliability is not model.Reliability.not_assessed]
        lines.append(f"{len(assessed)} of {len(self.report.sources)} sources have a reliability assessment.")
        return tuple(lines)

    def _summary_sources(self) -> tuple[SourceView, ...]:
        """The sources the highlights and key figures cite, for products that show only those."""
        cited = {n for h in self.report.highlights for n in self._cite(h.sources).notes}
        for figure in self.report.figures.values():
            if figure.key:
                cited.update(n for e in figure.estimates for n in self._cite_via(e.source, e.via, None).notes)
        return tuple(self._source(i, s) for i, s in self.report.sources.items() if self.notes[i] in cited)
