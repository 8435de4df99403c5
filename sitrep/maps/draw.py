"""Drawing the maps: a locator map (the affected country in its region) and an areas map (the analyst's
administrative areas shaded by a figure's numbers).

A map is a chart: Python computes every position, ``templates/charts/map.svg`` lays the shapes out, and
``sitrep.charts.svg.render_chart`` makes the SVG file (text as SVG text) and the HTML of the pages (text as
HTML over the shapes, so that Arabic is shaped). Heading and legend read right to left in an Arabic
edition; the geography is never mirrored (east stays on the right). Text is measured as the charts measure
it, and every coordinate is rounded, so the same input gives the same bytes.

Nothing is told by colour alone: the affected country has a heavy outline; classes of an areas map go from
light to dark; an area without a number is dotted and named "no data" in the legend, never drawn as zero;
an area under a measure is hatched over its shade.

Classes (``classes``): at most four classes of numbers above zero, and zero apart when a source said zero.
The first class starts at 1; each other starts at a round number (1, 2 or 5 times a power of ten) at or
below the first of the different numbers past a quantile of them (the 25th, 50th and 75th percentiles for
four classes), so that the classes hold about as many different numbers each (seven areas of 1,000 never
share one class with 300,000) and read as round ranges ("100–499", "500 or more"); a class no area falls
into is dropped. An area whose source gave a range (100–200), a bound or an estimate is shaded by the least
number it allows (``AreaValue.low``), the legend says so, and its number is given as the source worded it
in the map's description.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from ..charts.svg import (
    LABEL_SIZE,
    MARGIN,
    PALETTE,
    SMALL_SIZE,
    WIDTH,
    WIDTH_MM,
    Box,
    Chart,
    Line,
    Text,
    box_at,
    chart_id,
    chart_size,
    heading_texts,
    legend_swatches,
    line_at,
    points,
    render_chart,
    rounded,
    text_at,
)
from ..charts.text import Part, clean, text_width, wrap
from ..language import _, alphabetical, current, listed, ngettext
from ..wording import number
from . import world
from .boundaries import Boundaries
from .geometry import (
    EARTH_RADIUS_KM,
    Point,
    Projection,
    area,
    centred_on,
    clipped,
    extent_km,
    inner_points,
    inside,
    thinned,
    unwrapped,
)
from .topojson import Polygon

SHADES = ("#c6dbef", "#8fbbe0", "#4c8cc4", "#0a5a9c", "#06325a")
"""The classes' shades, light to dark, each clearly apart from the next in grey too (and the lightest from the
land around and from white, which is zero)."""
ZERO = PALETTE.paper


@dataclass(frozen=True)
class Colours:
    """The map's own colours, beside the charts' palette."""

    land: str = "#d9d9d9"
    """Countries other than the affected one, and the areas map's surroundings: mid grey."""
    affected: str = "#a9c9e8"
    """The affected country: darker than the sea, lighter than the land around, with a heavy outline."""
    sea: str = "#f1f4f7"
    no_data: str = "#8c8c8c"
    """The dots of an area without a number."""


AREAS_COLOURS = Colours(land="#ececec", sea=PALETTE.paper)
"""Around an areas map, the land lighter than any class but zero, so that no area is taken for a neighbour."""
MAX_CLASSES = 4
PLACE_RADIUS = 2.4
PLACE_SIZE = 7.5
COUNTRY_SIZE = 8.0
LEADER_DISTANCES = (12.0, 20.0, 30.0)
"""How far (points, across) a place's label may be set from its marker, with a leader, when there is no room
beside it."""
TOLERANCE = 0.25
"""Lines are thinned to within this many points of their course: finer than print shows."""


@dataclass(frozen=True)
class Place:
    """A place of the report to mark on a map: its label as the edition names it, and its position."""

    label: str
    lon: float
    lat: float


@dataclass(frozen=True)
class AreaValue:
    """An area's number as one source gave it: ``low`` and ``high`` (equal unless the source gave a range),
    ``labelled``, the number as the source worded it in the edition ('at least 1,200')."""

    low: int
    high: int
    labelled: str
    bounded: bool = False
    """Whether the source gave a bound or an estimate ('at least 500', 'more than 999', 'about 800'), not an
    exact number: the area is shaded by the least number it allows (``low``)."""


@dataclass(frozen=True)
class Map:
    """A drawn map: ``svg`` a standalone file, ``html`` for a report's pages, ``description`` its alternative
    text, and its printed size (points and millimetres)."""

    svg: str
    html: str
    description: str
    title: str
    width: float
    height: float
    width_mm: float
    height_mm: float


# ---------------------------------------------------------------------------
# What the template draws


@dataclass(frozen=True)
class Shape:
    """A filled outline: ``kind`` is 'land' (a country around), 'affected' (the report's country), 'area' (an
    area with a number, of colour ``fill``), 'nodata' (an area without one) or 'measure' (a hatch over an
    area); ``d`` is its SVG path, in points."""

    kind: str
    fill: str
    d: str


@dataclass(frozen=True)
class Marker:
    """A place: a dot."""

    cx: float
    cy: float
    r: float


@dataclass(frozen=True)
class Geography:
    """Everything drawn where it is on the Earth: never mirrored."""

    FIXED: ClassVar[bool] = True
    frame: Box
    shapes: tuple[Shape, ...]
    markers: tuple[Marker, ...]
    plates: tuple[Box, ...]
    """Light plates behind labels set over dark or hatched shades."""
    leaders: tuple[Line, ...]
    """Lines from an area to its label, set beside it where the area is too small for it."""
    labels: tuple[Text, ...]
    scale_bar: tuple[Line, ...]
    scale_label: Text
    north: tuple[float, ...]
    """The north arrow: x, y of its tip, then of its lower left and lower right corners."""
    north_label: Text


@dataclass(frozen=True)
class MapChart(Chart):
    shades: tuple[str, ...]
    caption: tuple[Text, ...]
    """Lines under the legend: the source and date of the numbers, how ranges are shaded."""
    geography: Geography
    kind: str = "locator"
    colours: Colours = Colours()


# ---------------------------------------------------------------------------
# The two maps


def locator_map(
    countries: Sequence[str],
    places: Sequence[Place] = (),
    *,
    title: str | None = None,
    width_mm: float | None = None,
    frame_mm: float | None = None,
) -> Map:
    """The affected ``countries`` (ISO 3166-1 codes: SYR) in their region, their neighbours named, ``places``
    marked and labelled, with a scale bar and north, ``width_mm`` wide (None: the charts' width) and its frame
    at most ``frame_mm`` high (None: as high as the region asks, within bounds).
    ValueError for a code not in the world outlines."""
    if not countries:
        raise ValueError("locator_map needs at least one country")
    affected = sorted({world.alpha2(code) for code in countries})
    names = listed(world.name(code) for code in affected)
    title = title or _("Location of {countries}").format(countries=names)
    rings = [polygon[0] for code in affected for polygon in main_territory(world.country(code).polygons)]
    projection = centred_on(rings)
    west, south, east, north = extent_km(projection, rings)
    pad = max(east - west, north - south) * 0.3 + 150  # room for the neighbours, and for a small country
    extent = (west - pad, south - pad, east + pad, north + pad)
    places = _shown(places, projection, extent)
    width_mm = width_mm or WIDTH_MM
    width = points(width_mm)
    heading, y = heading_texts(title, "", 0, width)
    entries = [("affected", listed(world.name(code) for code in affected))]
    if places:
        entries.append(("place", _("Place named in the report")))
    legend, y = legend_swatches(entries, y, width)
    frame, projection = _frame(projection, extent, y + 6, width, frame_mm and points(frame_mm))
    window = _window(projection, frame)
    shapes, label_candidates = [], []
    for country, drawn in _countries_drawn(projection, frame, window):
        kind = "affected" if country.code in affected else "land"
        shapes.append((kind == "affected", Shape(kind, "", _path(drawn))))
        if country.code:
            label_candidates.append((kind == "affected", country.code, drawn))
    # the affected countries are drawn last, so their heavy outline is whole
    ordered = tuple(shape for _affected, shape in sorted(shapes, key=lambda item: item[0]))
    placed = _Placer(frame)
    markers = _places(places, projection, placed)
    for is_affected, code, drawn in sorted(label_candidates, key=lambda item: (not item[0], item[1])):
        _area_label(
            drawn,
            [[Part(world.name(code), bold=is_affected)]],
            COUNTRY_SIZE,
            placed,
            fill=PALETTE.ink if is_affected else PALETTE.muted,
            inside_only=False,
            overflow=None if is_affected else 1.6,
        )
    geography = _geography(frame, projection, ordered, markers, placed)
    shown = {code for _affected, code, _drawn in label_candidates}
    others = sorted(  # in the order of their names, as the reader looks them up
        (world.name(code) for code in {c for a in affected for c in world.neighbours(a)} & shown - set(affected)),
        key=alphabetical,
    )
    description = [
        ngettext("Map of {countries} in its region.", "Map of {countries} in their region.", len(affected)).format(
            countries=names
        )
    ]
    if others:
        description.append(_("Neighbouring countries: {countries}.").format(countries=listed(others)))
    if places:
        description.append(_places_sentence(places))
    chart = MapChart(
        id=chart_id("map", *affected, *(p.label for p in places)),
        **chart_size(frame.y + frame.height + 2, width_mm),
        title=clean(title),
        description=clean(" ".join(description)),
        heading=tuple(heading),
        legend=tuple(legend),
        shades=(),
        caption=(),
        geography=geography,
        kind="locator",
    )
    return _rendered(chart)


def areas_map(
    boundaries: Boundaries,
    values: Mapping[str, AreaValue],
    *,
    source: str,
    hatched: Collection[str] = (),
    hatched_label: str | None = None,
    places: Sequence[Place] = (),
    title: str | None = None,
) -> Map:
    """The areas of ``boundaries`` shaded by the class of their number in ``values`` (p-code to the number
    one source gave for that area), areas without one drawn as 'no data'; areas whose p-codes are in
    ``hatched`` hatched and named ``hatched_label`` in the legend; ``source`` the legend's line naming the
    source and date of the numbers. ValueError for a p-code not in the boundaries."""
    unknown = sorted((set(values) | set(hatched)) - boundaries.pcodes)
    if unknown:
        raise ValueError(f"p-codes not in the boundaries file {boundaries.path}: {', '.join(unknown)}")
    title = title or _("Areas by number")
    rings = [ring for a in boundaries.areas for polygon in a.polygons for ring in polygon[:1]]
    projection = centred_on(rings)
    west, south, east, north = extent_km(projection, rings)
    pad = max(east - west, north - south) * 0.04
    extent = (west - pad, south - pad, east + pad, north + pad)
    places = _shown(places, projection, extent)
    heading, y = heading_texts(title, "", 0)
    classes = classes_of([value.low for value in values.values()])
    shades = _shades(classes)
    entries = [(f"shade-{index}", label) for index, (label, _low, _high) in enumerate(classes)]
    missing = [a for a in boundaries.areas if a.pcode not in values]
    if missing:
        entries.append(("nodata", _("No data")))
    if hatched:
        entries.append(("measure", hatched_label or _("Under a measure")))
    if places:
        entries.append(("place", _("Place named in the report")))
    legend, y = legend_swatches(entries, y)
    source = clean(source)
    notes = [source if source[-1:] in ".!?؟" else source + "."] if source else []
    if any(value.bounded for value in values.values()):
        notes.append(
            _("An area whose source gave a range, a bound or an estimate is shaded by the lowest number it allows.")
        )
    elif any(value.high > value.low for value in values.values()):
        notes.append(_("An area whose source gave a range is shaded by its lowest number."))
    caption = []
    for line in wrap([Part(" ".join(clean(note) for note in notes))], WIDTH - 2 * MARGIN, SMALL_SIZE):
        y += SMALL_SIZE * 1.3
        caption.append(text_at(MARGIN, y, line, SMALL_SIZE, fill=PALETTE.muted))
    frame, projection = _frame(projection, extent, y + 8)
    window = _window(projection, frame)
    shapes = [Shape("land", "", _path(drawn)) for _country, drawn in _countries_drawn(projection, frame, window)]
    placed = _Placer(frame)
    markers = _places(places, projection, placed)
    language = current().code
    drawn_areas = []
    for a in boundaries.areas:
        drawn = _drawn(a.polygons, projection, frame, window)
        if not drawn:
            continue
        value = values.get(a.pcode)
        index = _class_index(classes, value.low) if value else None
        shapes.append(Shape("area", shades[index], _path(drawn)) if value else Shape("nodata", "", _path(drawn)))
        if a.pcode in hatched:
            shapes.append(Shape("measure", "", _path(drawn)))
        drawn_areas.append((a, drawn, value, index))
    for a, drawn, value, index in sorted(drawn_areas, key=lambda item: -sum(area(r) for r in item[1])):
        dark = index is not None and index >= len(shades) / 2 and shades[index] != ZERO
        lines = [[Part(a.name(language))]] + ([[Part(value.labelled, bold=True)]] if value else [])
        _area_label(drawn, lines, SMALL_SIZE, placed, inside_only=True, plate=dark or a.pcode in hatched)
    geography = _geography(frame, projection, tuple(shapes), markers, placed)
    chart = MapChart(
        id=chart_id("areas", *(a.pcode for a in boundaries.areas), "", *sorted(values), "", *sorted(hatched)),
        **chart_size(frame.y + frame.height + 2),
        title=clean(title),
        description=_areas_description(
            title, boundaries, values, classes, hatched, hatched_label, notes, places, language
        ),
        heading=tuple(heading),
        legend=tuple(legend),
        shades=shades,
        caption=tuple(caption),
        geography=geography,
        kind="areas",
        colours=AREAS_COLOURS,
    )
    return _rendered(chart)


MAIN_TERRITORY_KM = 1500
"""How far from a country's largest land its other lands may be to be part of the map's extent: France's
overseas departments, Alaska or Svalbard do not stretch the map of their country."""


def main_territory(polygons: Sequence[Polygon]) -> list[Polygon]:
    """The largest of ``polygons`` and those whose first position is within MAIN_TERRITORY_KM of its first."""
    largest = max(polygons, key=lambda polygon: area(polygon[0]) * math.cos(math.radians(polygon[0][0][1])))
    lon0, lat0 = largest[0][0]
    return [polygon for polygon in polygons if distance_km(lon0, lat0, *polygon[0][0]) <= MAIN_TERRITORY_KM]


def distance_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """The great-circle distance between two positions (haversine), in km."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((phi2 - phi1) / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def _rendered(chart: MapChart) -> Map:
    return Map(
        render_chart("map.svg", chart),
        render_chart("map.svg", chart, html=True),
        chart.description,
        chart.title,
        chart.width,
        chart.height,
        chart.width_mm,
        chart.height_mm,
    )


# ---------------------------------------------------------------------------
# Classes


def round_below(value: int) -> int:
    """The largest of 1, 2, 5, 10, 20, 50, ... at or below ``value`` (at least 1)."""
    if value < 1:
        return 1
    power = 10 ** (len(str(int(value))) - 1)
    return max(step * power for step in (1, 2, 5) if step * power <= value)


def classes_of(numbers: Sequence[int]) -> list[tuple[str, int, int | None]]:
    """The classes of ``numbers``: (legend label, lowest, highest or None for the last), lowest first; zero
    apart when it is among them; see the module's docstring for the rule."""
    result: list[tuple[str, int, int | None]] = []
    if 0 in numbers:
        result.append((number(0), 0, 0))
    positive = sorted({n for n in numbers if n > 0})  # each number once, so that areas sharing one cannot fill a class
    if not positive:
        return result
    count = min(MAX_CLASSES, len(positive))
    starts = sorted(
        {1}
        | {round_below(positive[min(math.ceil(j * len(positive) / count), len(positive) - 1)]) for j in range(1, count)}
    )
    starts = [
        s
        for i, s in enumerate(starts)
        if any(s <= n < (starts[i + 1] if i + 1 < len(starts) else math.inf) for n in positive)
    ]
    for i, start in enumerate(starts):
        if i + 1 < len(starts):
            end = starts[i + 1] - 1
            label = number(start) if end == start else _("{low}–{high}").format(low=number(start), high=number(end))
            result.append((label, start, end))
        else:
            result.append((_("{low} or more").format(low=number(start)), start, None))
    return result


def _class_index(classes: Sequence[tuple[str, int, int | None]], value: int) -> int:
    return next(i for i, (_label, low, high) in enumerate(classes) if low <= value and (high is None or value <= high))


def _shades(classes: Sequence[tuple[str, int, int | None]]) -> tuple[str, ...]:
    """A shade per class: white for zero, then SHADES spread from light to dark over the others."""
    zero = bool(classes) and classes[0][1] == 0 and classes[0][2] == 0
    count = len(classes) - zero
    spread = [SHADES[round(i * (len(SHADES) - 1) / (count - 1))] if count > 1 else SHADES[2] for i in range(count)]
    return (ZERO,) * zero + tuple(spread)


def _areas_description(
    title: str,
    boundaries: Boundaries,
    values: Mapping[str, AreaValue],
    classes: Sequence[tuple[str, int, int | None]],
    hatched: Collection[str],
    hatched_label: str | None,
    notes: Sequence[str],
    places: Sequence[Place],
    language: str,
) -> str:
    def name(pcode: str) -> str:
        return boundaries.area(pcode).name(language)

    sentences = [_("Map. {title}.").format(title=title)]
    for index, (label, _low, _high) in enumerate(classes):
        members = sorted((p for p, v in values.items() if _class_index(classes, v.low) == index), key=name)
        said = listed(_("{area} ({number})").format(area=name(p), number=values[p].labelled) for p in members)
        sentences.append(_("{label}: {areas}.").format(label=label, areas=said))
    missing = sorted((a.pcode for a in boundaries.areas if a.pcode not in values), key=name)
    if missing:
        sentences.append(_("{label}: {areas}.").format(label=_("No data"), areas=listed(name(p) for p in missing)))
    if hatched:
        sentences.append(
            _("{label}: {areas}.").format(
                label=hatched_label or _("Under a measure"), areas=listed(name(p) for p in sorted(hatched, key=name))
            )
        )
    sentences.extend(clean(note) for note in notes)
    if places:
        sentences.append(_places_sentence(places))
    return clean(" ".join(sentences))


def _places_sentence(places: Sequence[Place]) -> str:
    return _("Places marked: {places}.").format(places=listed(clean(place.label) for place in places))


# ---------------------------------------------------------------------------
# Projecting and cutting


def _frame(
    projection: Projection,
    extent: tuple[float, float, float, float],
    top: float,
    chart_width: float = WIDTH,
    highest: float | None = None,
) -> tuple[Box, Projection]:
    """The map's frame under the legend, across a chart ``chart_width`` points wide and as high as the extent
    asks (within bounds, and at most ``highest`` points), and the projection fitted to it; the frame is filled,
    so more than ``extent`` may show."""
    width = chart_width - 2 * MARGIN
    west, south, east, north = extent
    height = min(max(width * (north - south) / (east - west), width * 0.5), width * 0.65, highest or width)
    frame = box_at(MARGIN, top, width, height)
    return frame, projection.fitted(extent, (frame.x, frame.y, frame.width, frame.height))


def _shown(
    places: Sequence[Place],
    projection: Projection,
    extent: tuple[float, float, float, float],
) -> list[Place]:
    """The ``places`` that fall in the frame of ``extent`` (where the frame is on the page changes nothing)."""
    frame, fitted = _frame(projection, extent, 0)
    return [
        place
        for place in places
        if frame.x <= (at := fitted.at(place.lon, place.lat))[0] <= frame.x + frame.width
        and frame.y <= at[1] <= frame.y + frame.height
    ]


def _window(projection: Projection, frame: Box) -> tuple[float, float, float, float]:
    """The longitudes (relative to the centre) and latitudes the frame shows, with a margin: (west, south, east,
    north) in degrees. Shapes are cut to it before they are projected, so that nothing from the far side of
    the Earth is drawn across the map."""
    lons, lats = [], []
    left, top, right, bottom = frame.x, frame.y, frame.x + frame.width, frame.y + frame.height
    for i in range(9):
        across, down = left + frame.width * i / 8, top + frame.height * i / 8
        for x, y in ((across, top), (across, bottom), (left, down), (right, down)):
            lon, lat = projection.inverse_km(
                (x - projection.dx) / projection.scale, (projection.dy - y) / projection.scale
            )
            lons.append(lon)
            lats.append(lat)
    return min(lons) - 3, max(min(lats) - 3, -90), max(lons) + 3, min(max(lats) + 3, 90)


def _drawn(
    polygons: Sequence[Polygon],
    projection: Projection,
    frame: Box,
    window: tuple[float, float, float, float],
    bounds: Sequence[tuple[float, float, float, float]] = (),
) -> list[list[Point]]:
    """The rings of ``polygons`` as they show in ``frame``: cut to the ``window`` the frame shows, projected,
    cut to the frame, thinned and rounded; empty when nothing shows. ``bounds``, the polygons' (west, south,
    east, north) if known, lets those far away be passed over at once."""
    west, south, east, north = window
    right, bottom = frame.x + frame.width, frame.y + frame.height
    result = []
    for index, polygon in enumerate(polygons):
        if bounds and not _near(bounds[index], projection.lon0, window):
            continue
        for ring in polygon:
            relative = unwrapped(ring, projection.lon0)
            lons = [p[0] for p in relative]
            lats = [p[1] for p in relative]
            if max(lons) < west or min(lons) > east or max(lats) < south or min(lats) > north:
                continue
            cut = clipped(relative, west, south, east, north)
            if len(cut) < 3:
                continue
            projected = clipped([projection.point(lon, lat) for lon, lat in cut], frame.x, frame.y, right, bottom)
            if len(projected) < 3:
                continue
            points = [(rounded(x), rounded(y)) for x, y in thinned([*projected, projected[0]], TOLERANCE)[:-1]]
            points = [p for i, p in enumerate(points) if p != points[i - 1]]
            if len(points) >= 3 and area(points) > 0.05:
                result.append(points)
    return result


@functools.lru_cache(maxsize=16)
def _countries_drawn(
    projection: Projection, frame: Box, window: tuple[float, float, float, float]
) -> tuple[tuple[world.Country, list[list[Point]]], ...]:
    """The world's countries that show in ``frame``, each with its rings as drawn there. Kept for the next map
    of the same frame: a report's editions in other languages draw the same geography."""
    return tuple(
        (country, drawn)
        for country in world.countries()
        if _near(country.box, projection.lon0, window)
        and (drawn := _drawn(country.polygons, projection, frame, window, country.bounds))
    )


def _near(bounds: tuple[float, float, float, float], lon0: float, window: tuple[float, float, float, float]) -> bool:
    """Whether a polygon of ``bounds`` (absolute longitudes) may reach into ``window`` (longitudes relative
    to ``lon0``)."""
    west, south, east, north = bounds
    if north < window[1] or south > window[3]:
        return False
    if window[2] - window[0] >= 360:
        return True
    return any(west + turn <= lon0 + window[2] and east + turn >= lon0 + window[0] for turn in (-360, 0, 360))


def _path(rings: Sequence[Sequence[Point]]) -> str:
    """SVG path data for closed rings, a tenth of a point apart at most (holes drawn by the even-odd rule)."""

    def at(value: float) -> str:
        text = f"{value:.1f}".rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text

    return "".join("M" + "L".join(f"{at(x)} {at(y)}" for x, y in ring) + "Z" for ring in rings)


# ---------------------------------------------------------------------------
# Labels, places, scale and north


class _Placer:
    """Places labels so that none covers another, a marker, the scale bar or north, and keeps what it placed:
    the labels, the plates behind those set over dark or hatched shades, and the leaders from a label set
    beside its area."""

    def __init__(self, frame: Box) -> None:
        self.frame = frame
        rtl = current().direction == "rtl"
        left, right, bottom = frame.x, frame.x + frame.width, frame.y + frame.height
        scale_width = frame.width / 5 + 16
        self.taken: list[tuple[float, float, float, float]] = [  # the scale bar's corner, and north's
            (right - scale_width, bottom - 18, right, bottom)
            if rtl
            else (left, bottom - 18, left + scale_width, bottom),
            (left, frame.y, left + 24, frame.y + 34) if rtl else (right - 24, frame.y, right, frame.y + 34),
        ]
        self.labels: list[Text] = []
        self.plates: list[Box] = []
        self.leaders: list[Line] = []

    def fits(self, box: tuple[float, float, float, float]) -> bool:
        left, top, right, bottom = box
        frame = self.frame
        if (
            left < frame.x + 2
            or right > frame.x + frame.width - 2
            or top < frame.y + 2
            or bottom > frame.y + frame.height - 2
        ):
            return False
        return not any(left < x2 and x1 < right and top < y2 and y1 < bottom for x1, y1, x2, y2 in self.taken)

    def take(self, box: tuple[float, float, float, float]) -> None:
        self.taken.append(box)

    def put(
        self,
        lines: Sequence[Sequence[Part]],
        x: float,
        baseline: float,
        size: float,
        anchor: str,
        fill: str,
        *,
        plate: bool = False,
        force: bool = False,
    ) -> bool:
        """Lines of text from ``baseline`` down at ``x`` if they fit (or anyway, with ``force``); with ``plate``
        on a light plate."""
        box = _lines_box(lines, x, baseline, size, anchor)
        if not (force or self.fits(box)):
            return False
        self.take(box)
        if plate:
            self.plates.append(box_at(box[0], box[1], box[2] - box[0], box[3] - box[1]))
        self.labels.extend(
            text_at(x, baseline + i * size * 1.2, line, size, anchor, fill) for i, line in enumerate(lines)
        )
        return True


def _lines_box(
    lines: Sequence[Sequence[Part]], x: float, baseline: float, size: float, anchor: str
) -> tuple[float, float, float, float]:
    """The box around lines of text, a point of room around them."""
    width = max(sum(text_width(part.text, size, part.bold) for part in line) for line in lines)
    left = x - {"start": 0, "middle": width / 2, "end": width}[anchor]
    return left - 1, baseline - size * 0.95, left + width + 1, baseline + size * 1.2 * (len(lines) - 1) + size * 0.35


def _places(places: Sequence[Place], projection: Projection, placed: _Placer) -> tuple[Marker, ...]:
    """A marker for each place (all in the frame), and its label on a light plate beside it where there is room
    (right, left, above, below); else a little farther out, with a leader to the marker, so that places close
    together at the map's scale are all named legibly; over whatever is there only if nowhere else."""
    markers, located = [], []
    for place in places:
        x, y = projection.at(place.lon, place.lat)
        markers.append(Marker(rounded(x), rounded(y), PLACE_RADIUS))
        placed.take((x - PLACE_RADIUS, y - PLACE_RADIUS, x + PLACE_RADIUS, y + PLACE_RADIUS))
        located.append((place, x, y))
    gap, rise = PLACE_RADIUS + 2, PLACE_SIZE * 0.35
    beside = [
        (gap, rise, "start"),
        (-gap, rise, "end"),
        (0, -gap - 1, "middle"),
        (0, gap + PLACE_SIZE * 0.9, "middle"),
    ]
    farther = [  # (dx, dy) of the label's anchor from the marker, nearest first; right and left before above and below
        (sign_x * distance, sign_y * distance * 0.8, "start" if sign_x > 0 else "end")
        for distance in LEADER_DISTANCES
        for sign_x, sign_y in ((1, 1), (1, -1), (-1, 1), (-1, -1))
    ]
    for place, x, y in located:
        lines = [[Part(clean(place.label))]]
        if any(
            placed.put(lines, x + dx, y + dy, PLACE_SIZE, anchor, PALETTE.ink, plate=True) for dx, dy, anchor in beside
        ):
            continue
        for dx, dy, anchor in farther:
            if placed.put(lines, x + dx, y + dy + rise, PLACE_SIZE, anchor, PALETTE.ink, plate=True):
                end_x = x + dx + (1 if anchor == "end" else -1)
                placed.leaders.append(line_at(x, y, end_x, y + dy))
                break
        else:
            placed.put(lines, x + gap, y + rise, PLACE_SIZE, "start", PALETTE.ink, plate=True, force=True)
    return tuple(markers)


def _area_label(
    rings: Sequence[Sequence[Point]],
    lines: Sequence[Sequence[Part]],
    size: float,
    placed: _Placer,
    *,
    fill: str = PALETTE.ink,
    inside_only: bool,
    plate: bool = False,
    overflow: float | None = None,
) -> bool:
    """The label of a shape inside it where it fits and covers nothing (with ``inside_only``, only where the
    shape is as wide as the label; with ``overflow``, where the label is at most that many times as wide as
    the shape, or as its lands together span (islands), so that a small country is not named across its
    neighbours); else, with ``inside_only``,
    beside the shape, left or right, with a leader to it."""
    height = size * 1.2 * len(lines)
    width = max(sum(text_width(part.text, size, part.bold) for part in line) for line in lines)
    largest = max(rings, key=area)
    points = inner_points(largest)
    xs, ys = [x for ring in rings for x, _ in ring], [y for ring in rings for _, y in ring]
    span = max(max(xs) - min(xs), max(ys) - min(ys))
    for (x, y), room in points:
        baseline = y - height / 2 + size
        if inside_only:
            left, top, right, bottom = _lines_box(lines, x, baseline, size, "middle")
            fits = all(
                inside(corner, largest)
                for corner in ((left, top), (right, top), (left, bottom), (right, bottom), (x, top), (x, bottom))
            )
        else:
            fits = overflow is None or width <= max(room, span) * overflow
        if fits and placed.put(lines, x, baseline, size, "middle", fill, plate=plate):
            return True
    if not inside_only:
        return False
    sides = [(max(xs) + 6, "start"), (min(xs) - 6, "end")]
    if points[0][0][0] < placed.frame.x + placed.frame.width / 2:  # nearer the left edge: out that way first
        sides.reverse()
    steps = (0, -1, 1, -2, 2)  # on the label's level first, then a line or two above or below it
    for side, anchor in sides:  # the leader from the point inside nearest that side
        (x, y), _room = max(points, key=lambda p: p[0][0]) if anchor == "start" else min(points, key=lambda p: p[0][0])
        for step in steps:
            level = y + step * (height + 2)
            if placed.put(lines, side, level - height / 2 + size, size, anchor, PALETTE.ink, plate=True):
                placed.leaders.append(line_at(x, y, side - 1 if anchor == "start" else side + 1, level))
                return True
    return False


def scale_length(km_per_point: float, room: float) -> int:
    """The longest round distance (1, 2 or 5 times a power of ten, in km) whose bar fits ``room`` points."""
    return round_below(int(room * km_per_point))


def _geography(
    frame: Box, projection: Projection, shapes: tuple[Shape, ...], markers: tuple[Marker, ...], placed: _Placer
) -> Geography:
    """The frame's contents, with a scale bar at the bottom on the side where lines start (left, or right in a
    right-to-left edition) and north at the top on the other side."""
    rtl = current().direction == "rtl"
    km = scale_length(1 / projection.scale, frame.width / 5)
    length = km * projection.scale
    label = _("{distance} km").format(distance=number(km))
    bottom = frame.y + frame.height - 6
    start = frame.x + frame.width - 8 - length if rtl else frame.x + 8
    bar = (
        line_at(start, bottom, start + length, bottom),
        line_at(start, bottom - 3, start, bottom),
        line_at(start + length, bottom - 3, start + length, bottom),
    )
    scale_label = text_at(start + length / 2, bottom - 4, [Part(label)], SMALL_SIZE, "middle")
    x = frame.x + 12 if rtl else frame.x + frame.width - 12
    tip = frame.y + 8
    north = tuple(rounded(v) for v in (x, tip, x - 4, tip + 12, x + 4, tip + 12))
    north_label = text_at(x, tip + 12 + LABEL_SIZE + 1, [Part(_("N"))], LABEL_SIZE, "middle")
    return Geography(
        frame,
        shapes,
        markers,
        tuple(placed.plates),
        tuple(placed.leaders),
        tuple(placed.labels),
        bar,
        scale_label,
        north,
        north_label,
    )
