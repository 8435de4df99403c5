"""What the report's maps show, decided once with the rest of the view: the places to mark on the locator
map, and for the areas map each area's number as one source gave it, the areas under a measure, and the
words of the legend. Drawing them is `sitrep.maps`'s job.

The areas map is shaded by the parts of the figure `map: {figure: ...}` names: each figure that is
`part_of:` it, about a place whose p-code is an area of the boundaries file. An area's number is the
current number of one source: the one `map: {source: ...}` names, or the only source of the areas' numbers.
Nothing is added up, averaged or chosen across sources; the checks refuse a map that would need it
(`sitrep.checks.map_areas`), so here every area has at most one number.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import model
from .language import _, listed
from .wording import MEASURES

if TYPE_CHECKING:
    from .figure_view import FigureView
    from .maps import AreaValue, Boundaries, Place


@dataclass(frozen=True)
class AreasData:
    """What the areas map shows."""

    boundaries: Boundaries
    values: dict[str, AreaValue]
    """Each shaded area's number, by p-code; the other areas have no data."""
    legend: str
    """The numbers' figure, source and day: 'People affected, as given by OCHA (14 February 2023)'."""
    hatched: tuple[str, ...]
    hatched_label: str | None
    title: str


@dataclass(frozen=True)
class MapData:
    """What the report's maps show: the affected countries and the places; the areas map if asked for."""

    countries: tuple[str, ...]
    places: tuple[Place, ...]
    areas: AreasData | None


def map_data(report: model.Report, figures: tuple[FigureView, ...], boundaries: Boundaries | None) -> MapData:
    """The maps of ``report`` (as the edition reads it), from its figures as the view words them. (sitrep.maps,
    and the world's outlines, are loaded only when a map is drawn.)"""
    return MapData(
        tuple(report.report.countries),
        _places(report, boundaries),
        _areas(report, figures, boundaries) if boundaries is not None and report.map and report.map.figure else None,
    )


def _places(report: model.Report, boundaries: Boundaries | None) -> tuple[Place, ...]:
    """The report's places that can be put on a map: those with coordinates, and those whose p-code is an
    area of the boundaries (marked inside it); countries and regions are not points."""
    centres = {area.pcode: area.centre for area in boundaries.areas} if boundaries is not None else {}
    found = []
    for location in report.locations.values():
        if location.lat is not None and location.lon is not None:
            found.append((location.name, location.lon, location.lat))
        elif location.pcode in centres and location.admin_level not in (0, "region"):
            found.append((location.name, *centres[location.pcode]))
    if not found:
        return ()
    from .maps import Place

    return tuple(Place(*place) for place in found)


def _areas(report: model.Report, figures: tuple[FigureView, ...], boundaries: Boundaries) -> AreasData:
    from .maps import AreaValue

    chosen = report.map
    assert chosen is not None
    shown = {figure.id: figure for figure in figures}
    values, given = {}, []
    for figure_id, pcode in report.shading.items():
        series = [s for s in shown[figure_id].series if chosen.source in (None, s.source_id) and s.current]
        if pcode in boundaries.pcodes and len(series) == 1 and len(series[0].current) == 1:
            claim = series[0].current[0]
            # shaded by the least number it allows: 'more than 999' is at least 1,000
            low = claim.low + 1 if claim.qualifier == model.Qualifier.more_than.value else claim.low
            values[pcode] = AreaValue(low, claim.high, claim.labelled, claim.qualifier != model.Qualifier.exact.value)
            given.append((claim.source, claim.as_of))
    as_of = report.report.as_of.date()
    in_force = [
        measure
        for measure in report.measures
        if chosen.hatch and measure.kind == chosen.hatch and not (measure.end is not None and measure.end < as_of)
    ]  # an ended measure is not hatched
    hatched = tuple(
        sorted(
            {
                report.locations[place].pcode
                for measure in in_force
                for place in measure.locations
                if report.locations[place].pcode in boundaries.pcodes
            }
        )
    )
    title = shown[chosen.figure].plain_title
    return AreasData(
        boundaries,
        values,
        _legend(title, given),
        hatched,
        _(MEASURES[chosen.hatch]) if hatched and chosen.hatch else None,
        title,
    )


def _legend(title: str, given: list[tuple[str, str]]) -> str:
    """'People affected, as given by OCHA (14 February 2023)': the numbers' sources and days, each once."""
    if not given:
        return title
    sources = listed(dict.fromkeys(source for source, _when in given))
    days = listed(dict.fromkeys(when for _source, when in given))
    return _("{figure}, as given by {sources} ({days})").format(figure=title, sources=sources, days=days)
